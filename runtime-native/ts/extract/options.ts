/**
 * From the extract datasets to extractor runs: one run per extractor, over the tree that exactly
 * one of its datasets declares, filling every dataset of that extractor.
 *
 * A dataset is given either as the plan has it (`extract`: extractor, table, root, include,
 * exclude, max_file_bytes — already templated and checked by compiler/src/plan/extract.ts) or
 * with its raw extractor source (`source.format === "extractor"`, `source.options` =
 * `{extractor, options}`), in which case the same rules are applied here: `options.table` names
 * the extractor's table (default: the dataset's name); exactly one dataset of the extractor has
 * `root` + `include` (optionally `exclude`, `max_file_bytes`); `{{ name }}` in option strings is
 * replaced from `variables`.
 */

import { NativeError } from "../errors.js";
import type { ExtractTable } from "./run.js";

export interface ExtractDatasetLike {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string; readonly nullable: boolean }[];
  readonly extract?: {
    readonly extractor: string;
    readonly table: string;
    readonly root: string;
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    readonly max_file_bytes: number | null;
    /** The dataset that declares the tree. */
    readonly tree_from?: string;
  } | null;
  readonly source?: { readonly format: string; readonly options: Readonly<Record<string, unknown>> } | null;
}

/** One extractor run: its tree (root as written, not resolved: see resolveSourceRoot) and tables. */
export interface ExtractTreeOptions {
  readonly extractor: string;
  /** The dataset that declares the tree. */
  readonly dataset: string;
  readonly root: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly maxFileBytes: number | undefined;
  /** Every dataset of the extractor, by name. */
  readonly tables: readonly ExtractTable[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function render(value: unknown, variables: Readonly<Record<string, string | number | boolean>>, where: { extractor: string; dataset: string; option: string }): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_, name: string) => {
      if (!Object.hasOwn(variables, name)) {
        throw new NativeError("EXTRACT_OPTIONS_INVALID", `dataset ${where.dataset}: source option ${where.option} uses the unknown variable ${name}`, { ...where });
      }
      return String(variables[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => render(v, variables, where));
  return value;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

interface Declared {
  extractor: string;
  table: string;
  tree: { root: string; include: string[]; exclude: string[]; maxFileBytes: number | undefined } | null;
}

function declared(d: ExtractDatasetLike, variables: Readonly<Record<string, string | number | boolean>>): Declared | null {
  if (d.extract !== undefined && d.extract !== null) {
    const e = d.extract;
    return { extractor: e.extractor, table: e.table, tree: { root: e.root, include: [...e.include], exclude: [...e.exclude], maxFileBytes: e.max_file_bytes ?? undefined } };
  }
  if (d.source === undefined || d.source === null || d.source.format !== "extractor") return null;
  const extractor = d.source.options["extractor"];
  if (typeof extractor !== "string") return null;
  const raw = (d.source.options["options"] ?? {}) as Record<string, unknown>;
  const at = (option: string) => ({ extractor, dataset: d.name, option });
  const bad = (option: string, message: string) => new NativeError("EXTRACT_OPTIONS_INVALID", `dataset ${d.name}: source option ${option} ${message}`, at(option));
  const table = raw["table"] ?? d.name;
  if (typeof table !== "string") throw bad("table", "must name one of the extractor's tables");
  if (raw["root"] === undefined && raw["include"] === undefined) return { extractor, table, tree: null };
  const root = render(raw["root"], variables, at("root"));
  const include = render(raw["include"], variables, at("include"));
  const exclude = render(raw["exclude"] ?? [], variables, at("exclude"));
  const max = raw["max_file_bytes"];
  if (typeof root !== "string" || root === "") throw bad("root", "must be a directory (relative to the config file) or stdlib:PACKAGE");
  if (!isStrings(include) || include.length === 0) throw bad("include", "must be a non-empty list of globs");
  if (!isStrings(exclude)) throw bad("exclude", "must be a list of globs");
  if (max !== undefined && !(typeof max === "number" && Number.isInteger(max) && max > 0)) throw bad("max_file_bytes", "must be a positive integer");
  return { extractor, table, tree: { root, include, exclude, maxFileBytes: max as number | undefined } };
}

/**
 * The extractor runs the datasets describe, sorted by extractor name (datasets that are not
 * extract datasets are ignored). EXTRACT_OPTIONS_INVALID when an extractor has no tree or several,
 * two datasets claim the same table, or an option is ill-typed.
 */
export function extractTreeOptions(datasets: readonly ExtractDatasetLike[], variables: Readonly<Record<string, string | number | boolean>> = {}): ExtractTreeOptions[] {
  const byExtractor = new Map<string, { d: ExtractDatasetLike; decl: Declared }[]>();
  for (const d of [...datasets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const decl = declared(d, variables);
    if (decl === null) continue;
    const list = byExtractor.get(decl.extractor) ?? [];
    list.push({ d, decl });
    byExtractor.set(decl.extractor, list);
  }
  const out: ExtractTreeOptions[] = [];
  for (const extractor of [...byExtractor.keys()].sort()) {
    const members = byExtractor.get(extractor) ?? [];
    // with `extract` every dataset carries the tree; else exactly one declares it
    const fromPlan = members.every((m) => m.d.extract !== undefined && m.d.extract !== null);
    const carriers = fromPlan ? members.slice(0, 1) : members.filter((m) => m.decl.tree !== null);
    if (carriers.length !== 1) {
      const names = carriers.map((m) => m.d.name).join(", ");
      throw new NativeError(
        "EXTRACT_OPTIONS_INVALID",
        carriers.length === 0
          ? `no dataset of extractor '${extractor}' declares the source tree (root and include under source.options)`
          : `datasets ${names} of extractor '${extractor}' each declare a source tree; exactly one may`,
        { extractor, dataset: names, option: "root" },
      );
    }
    const carrier = carriers[0]!;
    const tree = carrier.decl.tree!;
    const seen = new Map<string, string>();
    for (const m of members) {
      const other = seen.get(m.decl.table);
      if (other !== undefined) {
        throw new NativeError("EXTRACT_OPTIONS_INVALID", `datasets ${other} and ${m.d.name} both hold table '${m.decl.table}' of extractor '${extractor}'`, { extractor, dataset: m.d.name, option: "table" });
      }
      seen.set(m.decl.table, m.d.name);
    }
    out.push({
      extractor,
      dataset: fromPlan ? (carrier.d.extract?.tree_from ?? carrier.d.name) : carrier.d.name,
      root: tree.root,
      include: tree.include,
      exclude: tree.exclude,
      maxFileBytes: tree.maxFileBytes,
      tables: members.map((m) => ({ dataset: m.d.name, table: m.decl.table, columns: m.d.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })) })),
    });
  }
  return out;
}
