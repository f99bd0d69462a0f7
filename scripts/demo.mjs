#!/usr/bin/env node
// `npm run demo` (after the setup step): builds the code property graph of the root project —
// python3's standard-library `json` package unless `-var source_root=…` says otherwise — with
// the real CLI (cpgc plan -out, cpgc apply of that saved plan, then a second plan that must find
// nothing to do), then summarizes the graph and runs two example queries through `cpgc query`.
// Re-runnable: a second run plans "No changes" and only queries.
//
//   node scripts/demo.mjs [-var NAME=VALUE …] [--callee QUALNAME] [--dir PROJECT]
//
// -var is passed to plan (e.g. -var source_root=stdlib:email -var root_package=email; the saved
// plan keeps the values for apply);
// --callee names the function whose callers the first example lists (default json.loads for the
// default tree, else the function of the tree with the most call sites); --dir runs it on another
// copy of the project (default: this checkout).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CPGC = join(ROOT, "bin", "cpgc.js");
const PLAN_FILE = join(".cpg", "demo.plan");

/** The demo's queries, exactly as README.md shows them. */
const QUERIES = {
  nodes: "select kind, count(*) as nodes from cpg_nodes group by kind order by nodes desc, kind",
  edges: "select kind, count(*) as edges from cpg_edges group by kind order by edges desc, kind",
  callers: (callee) =>
    "select s.qualname as caller, c.path, c.span.line as line " +
    "from cpg_nodes f join cpg_edges e on e.dst = f.node_id and e.kind = 'CALLS' " +
    "join cpg_nodes c on c.node_id = e.src join cpg_nodes s on s.node_id = c.scope_id " +
    `where f.qualname = '${callee.replace(/'/g, "''")}' order by c.path, line`,
  methods:
    "select cls.qualname as class, count(*) as methods, string_agg(m.name, ', ' order by m.span.line) as names " +
    "from cpg_nodes cls join cpg_edges e on e.src = cls.node_id and e.kind = 'CONTAINS' " +
    "join cpg_nodes m on m.node_id = e.dst and m.kind = 'function' " +
    "where cls.kind = 'class' group by cls.qualname order by methods desc, class limit 5",
  mostCalled:
    "select f.qualname from cpg_edges e join cpg_nodes f on f.node_id = e.dst and f.kind = 'function' " +
    "where e.kind = 'CALLS' group by f.qualname order by count(*) desc, f.qualname limit 1",
};

function parseArgs(argv) {
  const vars = [];
  let callee;
  let dir = ROOT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-var" || a === "--var") vars.push(argv[++i] ?? "");
    else if (a.startsWith("-var=") || a.startsWith("--var=")) vars.push(a.slice(a.indexOf("=") + 1));
    else if (a === "--callee") callee = argv[++i];
    else if (a === "--dir") dir = resolve(argv[++i] ?? ".");
    else if (a === "-h" || a === "--help") {
      console.log("usage: npm run demo [-- -var NAME=VALUE … --callee QUALNAME --dir PROJECT]");
      process.exit(0);
    } else {
      console.error(`demo: unknown argument ${a} (expected -var NAME=VALUE or --callee QUALNAME)`);
      process.exit(1);
    }
  }
  if (vars.some((v) => !v.includes("="))) {
    console.error("demo: -var takes NAME=VALUE");
    process.exit(1);
  }
  return { vars, callee, dir };
}

let projectDir = ROOT;

function cpgc(args, { inherit = false } = {}) {
  const r = spawnSync(process.execPath, [CPGC, ...args], {
    cwd: projectDir,
    encoding: "utf8",
    stdio: inherit ? "inherit" : "pipe",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** A section title; every section before it ends with a blank line. */
function heading(text) {
  console.log(`== ${text}\n`);
}

/** Runs `cpgc query SQL`, printing the command and the table; exits on failure. */
function query(sql) {
  console.log(`$ cpgc query "${sql}"`);
  const r = cpgc(["query", sql]);
  process.stdout.write(r.stdout);
  if (r.code !== 0) {
    process.stderr.write(r.stderr);
    process.exit(r.code);
  }
  console.log("");
  return r.stdout;
}

/** The plan, condensed: each action with its load/refresh reason, and the summary line. */
function condensedPlan(text) {
  return text
    .split("\n")
    .filter((l) => /^ {2}(\+|~|-\/\+|⟳|=|-|\?) \S+\.\S+ \[/.test(l) || /^ {6}(load|refresh):/.test(l) || /^Plan: /.test(l))
    .join("\n");
}

function main() {
  const { vars, callee, dir } = parseArgs(process.argv.slice(2));
  projectDir = dir;
  const varArgs = vars.flatMap((v) => ["-var", v]);
  mkdirSync(join(projectDir, ".cpg"), { recursive: true });

  console.log("");
  heading(`cpgc plan -out ${PLAN_FILE}${vars.map((v) => ` -var ${v}`).join("")}`);
  const plan = cpgc(["plan", "-out", PLAN_FILE, "--detailed-exitcode", ...varArgs]);
  if (plan.code === 0) {
    console.log("No changes. Your lake matches the configuration.\n");
  } else if (plan.code === 2 || plan.code === 3) {
    console.log(condensedPlan(plan.stdout));
    console.log(`\n(the whole plan, with schemas and SQL: cpgc show ${PLAN_FILE})\n`);
    // The saved plan keeps its -var values: apply re-checks it against the specs compiled with them.
    heading(`cpgc apply ${PLAN_FILE}`);
    const applied = cpgc(["apply", PLAN_FILE], { inherit: true });
    if (applied.code !== 0) process.exit(applied.code);
    console.log("");
    // Idempotent: right after the apply, a fresh plan finds nothing to do (exit 0).
    heading(`cpgc plan --detailed-exitcode${vars.map((v) => ` -var ${v}`).join("")}`);
    const again = cpgc(["plan", "--detailed-exitcode", ...varArgs]);
    if (again.code !== 0) {
      process.stdout.write(again.stdout);
      process.stderr.write(again.stderr);
      console.error(`\nThe plan right after the apply is not empty (exit ${again.code}): please report this as a cpgc bug.`);
      process.exit(1);
    }
    console.log(`${again.stdout.trim().split("\n").at(-1)}  (exit 0)\n`);
  } else {
    process.stdout.write(plan.stdout);
    process.stderr.write(plan.stderr);
    process.exit(plan.code);
  }

  heading("The graph: nodes and edges by kind");
  query(QUERIES.nodes);
  query(QUERIES.edges);

  let target = callee;
  if (target === undefined) {
    const overridden = vars.some((v) => v.startsWith("source_root="));
    if (!overridden) target = "json.loads";
    else {
      const r = cpgc(["query", QUERIES.mostCalled, "--format", "csv"]);
      target = r.stdout.trim().split("\n")[1]?.replace(/^"|"$/g, "") ?? "";
    }
  }
  heading(`Who calls ${target || "(no function with resolved calls)"}?`);
  query(QUERIES.callers(target));

  heading("Classes with the most methods");
  query(QUERIES.methods);

  console.log("More: cpgc query \"…\" over any table of .cpg/lake (README.md lists them); re-run: npm run demo");
}

main();
