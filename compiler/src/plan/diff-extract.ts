/**
 * The data part of an extract dataset's diff (issue 6, "Incremental"): which files of the source
 * tree the extractor must (re)read for this table, and which files' rows go.
 *
 * - Full extraction (overwrite; create when absent): the table is new, has no cpgc state or others
 *   wrote to it (restore), no extraction is recorded, the extractor's version changed, or what the
 *   rows depend on changed (columns, the extractor's table, the tree's settings: `extractSpecHash`).
 * - Otherwise per file: changed (other sha256) and added files are re-extracted, removed files'
 *   rows are deleted — one replaceWhere `path IN (changed ∪ added ∪ removed)` plus the new rows;
 *   every column is dirty, and the paths are the action's changed keys.
 * - Nothing changed: nothing to write.
 */
import { fingerprint } from "../artifacts/canonical.js";
import { EXTRACT_PATH_COLUMN } from "./extract.js";
import { allDirty, CLEAN } from "./impact.js";
import type { Change, DesiredTable, ObservedSource, ObservedTable, TableState, TableStep } from "./model.js";
import type { DataOutcome, Restore } from "./diff-data.js";

type Present = Extract<ObservedTable, { status: "present" }>;

const NOTHING: DataOutcome = { changes: [], write: undefined, dirt: CLEAN, hits: [], sql_diff: null, errors: [] };

/** Hex digits of a file's sha256 the state records (TableState.extract). */
export const RECORDED_SHA_DIGITS = 16;

export const recordedSha = (sha256: string): string => sha256.slice(0, RECORDED_SHA_DIGITS);

/** What an extract table's rows depend on besides the files: its columns, source (extractor, table, options) and tree. */
export function extractSpecHash(t: Pick<DesiredTable, "columns" | "source" | "extract">): string {
  return fingerprint({ columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })), source: t.source?.options ?? null, extract: t.extract ?? null });
}

/** The files of the tree as the state records them: path → sha256 prefix. */
export function recordedFiles(files: ObservedSource["files"]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, recordedSha(f.sha256)]));
}

/** A SQL string literal. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `"path" IN ('a.py', 'b.py')`: the rows of these files. */
export function pathPredicate(paths: readonly string[]): string {
  return paths.length === 0 ? "FALSE" : `"${EXTRACT_PATH_COLUMN}" IN (${paths.map(literal).join(", ")})`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function named(paths: readonly string[], max = 5): string {
  return `${paths.slice(0, max).join(", ")}${paths.length > max ? `, … ${paths.length - max} more` : ""}`;
}

export function extractData(t: DesiredTable, obs: Present | null, src: ObservedSource | undefined, restore: Restore | null): DataOutcome {
  const extract = t.extract;
  if (extract === undefined || t.source === null) return NOTHING; // its CPG1404 errors are the table's own
  if (src === undefined) return { ...NOTHING, errors: [{ code: "CPG1408", message: `the source tree of ${t.name} was not observed`, hints: ["this is a bug in cpgc: please report it"] }] };
  if (src.error !== null) {
    return {
      ...NOTHING,
      errors: [{ code: "CPG1405", message: `the source tree ${extract.root} of extractor '${extract.extractor}' cannot be read: ${src.error.message} (${src.error.code})`, hints: ["a root is a path relative to the config file, or stdlib:PACKAGE"] }],
    };
  }
  const version = src.extractor_version ?? "?";
  const tree = src.files;
  const all = tree.map((f) => f.path);
  const recorded = obs?.state?.extract;
  const full = (reason: string): DataOutcome => ({
    ...NOTHING,
    changes: [{ kind: "load", class: "non-breaking", reason }],
    write: { mode: "overwrite", from: { kind: "source", source: t.source!, files: all } },
    dirt: allDirty(t),
    step: { extract: { files: all, remove: [], full: true } },
  });
  const what = `${plural(tree.length, "file")} of ${extract.root} (${extract.extractor} extractor ${version}, table ${extract.table})`;
  if (restore !== null) return full(restore.kind === "create" ? `extract ${what}` : `${restore.reason}: extract ${what} again`);
  if (recorded === undefined) return full(`no extraction is recorded: extract ${what}`);
  if (recorded.version !== version) return full(`the ${extract.extractor} extractor changed (${recorded.version} → ${version}): extract all ${plural(tree.length, "file")} of ${extract.root} (table ${extract.table})`);
  if (recorded.spec !== extractSpecHash(t)) return full(`the columns, extractor table or source tree changed: extract all ${what}`);

  const changed: string[] = [];
  const added: string[] = [];
  for (const f of tree) {
    const before = recorded.files[f.path];
    if (before === undefined) added.push(f.path);
    else if (before !== recordedSha(f.sha256)) changed.push(f.path);
  }
  const present = new Set(all);
  const removed = Object.keys(recorded.files).filter((p) => !present.has(p)).sort();
  const extracted = [...changed, ...added].sort();
  if (extracted.length === 0 && removed.length === 0) return NOTHING;
  const parts: string[] = [];
  if (extracted.length > 0) {
    const how = [changed.length > 0 ? `${changed.length} changed` : "", added.length > 0 ? `${added.length} added` : ""].filter(Boolean).join(", ");
    parts.push(`re-extract ${plural(extracted.length, "file")} (${how}: ${named(extracted)})`);
  }
  if (removed.length > 0) parts.push(`remove ${plural(removed.length, "file")} (${named(removed)})`);
  const keys = [...extracted, ...removed].sort();
  const change: Change = { kind: "load", class: "non-breaking", reason: `${parts.join(", ")} of ${tree.length} in ${extract.root}` };
  return {
    ...NOTHING,
    changes: [change],
    write: { mode: "replaceWhere", from: { kind: "source", source: t.source, files: extracted }, predicate: pathPredicate(keys) },
    dirt: allDirty(t),
    step: { extract: { files: extracted, remove: removed, full: false } },
    changed_keys: { column: EXTRACT_PATH_COLUMN, values: keys },
  };
}

/** The extraction a commit records: the tree as observed (after the apply every file is extracted as it is now). */
export function plannedExtract(t: DesiredTable, src: ObservedSource | undefined): NonNullable<TableState["extract"]> | undefined {
  if (t.role !== "extract" || src === undefined || src.error !== null) return undefined;
  return { version: src.extractor_version ?? "?", spec: extractSpecHash(t), files: recordedFiles(src.files) };
}

export type ExtractStep = NonNullable<TableStep["extract"]>;
