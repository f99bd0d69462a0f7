import { describe, expect, it } from "vitest";
import { formatHelp, parseArgs, type CommandSpec } from "../../compiler/src/cli/args.js";

const spec: CommandSpec = {
  name: "demo",
  summary: "A command.",
  usage: "cpgc demo [DIR]",
  positionals: ["DIR"],
  options: [
    { name: "config", short: "c", value: "FILE", description: "Config." },
    { name: "format", value: "F", choices: ["text", "json"], description: "Format." },
    { name: "check", description: "Check only." },
    { name: "var", value: "K=V", repeatable: true, description: "Variable." },
  ],
};

describe("parseArgs", () => {
  it.each<[string[], Record<string, string | true>, string[]]>([
    [[], {}, []],
    [["-c", "x.yaml"], { config: "x.yaml" }, []],
    [["--config=x.yaml", "dir"], { config: "x.yaml" }, ["dir"]],
    [["--check", "--format", "json"], { check: true, format: "json" }, []],
    [["--", "--check"], {}, ["--check"]],
    [["-h"], { help: true }, []],
  ])("%j", (argv, options, positionals) => {
    const r = parseArgs(spec, argv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.args.options)).toEqual(options);
    expect(r.args.positionals).toEqual(positionals);
  });

  it("collects repeatable options", () => {
    const r = parseArgs(spec, ["--var", "a=1", "--var", "b=2"]);
    expect(r.ok && r.args.repeated.get("var")).toEqual(["a=1", "b=2"]);
  });

  it.each<[string[], string]>([
    [["--chek"], "unknown option '--chek' for 'demo'; did you mean '--check'?"],
    [["--format", "yaml"], "invalid value 'yaml' for '--format'; expected one of: text, json"],
    [["--config"], "option '--config' needs a value (FILE)"],
    [["--check=yes"], "option '--check' takes no value"],
    [["a", "b"], "'demo' takes at most 1 argument(s), got 'a b'"],
  ])("rejects %j", (argv, error) => {
    expect(parseArgs(spec, argv)).toEqual({ ok: false, error });
  });

  it("documents every option in --help", () => {
    const help = formatHelp(spec);
    for (const o of [...spec.options.map((x) => `--${x.name}`), "--help"]) expect(help).toContain(o);
    expect(help).toContain("(text | json)");
  });
});
