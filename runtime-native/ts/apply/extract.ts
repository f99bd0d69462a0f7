/**
 * Extract datasets in plan / apply (issue 6, "Incremental"): observing their source tree and
 * running the extractor once per apply (each dataset's rows: extract-rows.ts).
 *
 * - Observation: per extractor, the tree's root is resolved once and scanned once (path, size,
 *   sha256); every dataset of the extractor observes the same files, plus the extractor's
 *   version. A failure (root missing, python3 absent) is the source's error.
 * - Apply: the extract steps of the plan name the files each dataset needs; the extractor runs
 *   ONCE for their union (per extractor) into `<lake>/_cpgc_staging/_extract/<run>/`, with the
 *   files hashed just before (the state records what was read: a file changed meanwhile is
 *   re-extracted by the next plan, never missed). Each dataset's relation reads its chunk files
 *   with the declared columns, keeping the rows of the files its step needs.
 */

import path from "node:path";

import { fingerprint } from "../../../compiler/src/artifacts/canonical.js";
import type { DesiredState, DesiredTable, ObservedSource, Plan, TablePlan } from "../../../compiler/src/plan/model.js";
import { NativeError } from "../errors.js";
import { extractorVersion, resolveSourceRoot, runExtractor, scanTree, sha256File, type ExtractResult } from "../extract/index.js";
import type { ExtractOutcome } from "./extract-rows.js";
import { pruneStaging, STAGING_DIR } from "./staging.js";

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof NativeError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: (error as NodeJS.ErrnoException).code ?? "INTERNAL", message: error.message };
  return { code: "INTERNAL", message: String(error) };
}

/** The config directory an extract dataset's root is relative to (desired sources record it as their location). */
function configDirOf(table: DesiredTable, configDir: string | undefined): string {
  return configDir ?? table.source?.location ?? process.cwd();
}

/** Per extract dataset (with a valid `extract`), its observed tree: one resolution and one scan per extractor. */
export function observeExtractSources(desired: DesiredState, options: { readonly configDir?: string } = {}): Record<string, ObservedSource> {
  const out: Record<string, ObservedSource> = {};
  const groups = new Map<string, DesiredTable[]>();
  for (const t of desired.tables) {
    if (t.role !== "extract" || t.extract === undefined) continue;
    const key = fingerprint([t.extract.extractor, t.extract.root, t.extract.include, t.extract.exclude]);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const tables of groups.values()) {
    const first = tables[0]!;
    const extract = first.extract!;
    let observed: ObservedSource;
    try {
      const root = resolveSourceRoot(extract.root, configDirOf(first, options.configDir));
      const files = scanTree(root, extract.include, extract.exclude).map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }));
      const version = extractorVersion(extract.extractor);
      observed = { files, fingerprint: fingerprint({ version, files: files.map((f) => [f.path, f.size, f.sha256]) }), digests: null, digest_engine: null, error: null, extractor_version: version, root };
    } catch (error) {
      observed = { files: [], fingerprint: "", digests: null, digest_engine: null, error: errorOf(error) };
    }
    for (const t of tables) out[t.name] = observed;
  }
  return out;
}

// ─── Apply: one extractor run per extractor ─────────────────────────────────────────────────────

export interface ExtractRuns {
  /** Per extract dataset with a step in the plan. */
  readonly byTable: ReadonlyMap<string, ExtractOutcome>;
  readonly results: readonly { readonly extractor: string; readonly result: ExtractResult }[];
  /** Removes the staged chunks. */
  cleanup(): void;
}

export interface ExtractRunOptions {
  readonly lakeRoot: string;
  readonly runId: string;
  readonly workers: number;
  readonly configDir?: string;
  readonly onProgress?: (extractor: string, done: number, total: number) => void;
  /** Steps that need no rows (a resumed apply: the table already has this plan's commit). */
  readonly skip?: (tp: TablePlan) => boolean;
}

const acting = (tp: TablePlan) => tp.op !== "noop" && tp.op !== "orphan" && tp.step.extract !== undefined;

/**
 * Runs each extractor the plan's extract steps need, once, over the union of their files. A run
 * that fails fails every dataset of that extractor (their steps report the error).
 */
export async function runExtractions(plan: Plan, byName: ReadonlyMap<string, DesiredTable>, options: ExtractRunOptions): Promise<ExtractRuns> {
  const byTable = new Map<string, ExtractOutcome>();
  const results: { extractor: string; result: ExtractResult }[] = [];
  const base = path.join(path.resolve(options.lakeRoot), STAGING_DIR, "_extract", options.runId);
  const groups = new Map<string, { table: DesiredTable; step: NonNullable<TablePlan["step"]["extract"]> }[]>();
  for (const tp of plan.tables) {
    const table = byName.get(tp.name);
    if (!acting(tp) || table?.extract === undefined || options.skip?.(tp) === true) continue;
    const key = table.extract.extractor;
    groups.set(key, [...(groups.get(key) ?? []), { table, step: tp.step.extract! }]);
  }
  for (const [extractor, members] of groups) {
    const extract = members[0]!.table.extract!;
    try {
      const root = resolveSourceRoot(extract.root, configDirOf(members[0]!.table, options.configDir));
      const union = [...new Set(members.flatMap((m) => m.step.files))].sort();
      const hashed = new Map<string, string>();
      for (const file of union) {
        try {
          hashed.set(file, sha256File(path.join(root, ...file.split("/"))));
        } catch {
          // removed since the plan: not extracted, its rows go (its path is in the predicate)
        }
      }
      const files = union.filter((f) => hashed.has(f));
      const result = await runExtractor({
        extractor,
        root,
        files,
        tables: members.map((m) => ({ dataset: m.table.name, table: m.table.extract!.table, columns: m.table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })) })),
        workers: Math.max(1, options.workers),
        stagingDir: path.join(base, extractor),
        ...(extract.max_file_bytes !== null ? { maxFileBytes: extract.max_file_bytes } : {}),
        ...(options.onProgress !== undefined ? { onProgress: (done: number, total: number) => options.onProgress!(extractor, done, total) } : {}),
      });
      results.push({ extractor, result });
      for (const m of members) {
        const mine = m.step.files.filter((f) => hashed.has(f));
        byTable.set(m.table.name, {
          ok: true,
          rows: { chunks: result.tables[m.table.name]?.files ?? [], files: mine, filter: mine.length < files.length, hashed, version: result.extractorVersion },
        });
      }
    } catch (error) {
      for (const m of members) byTable.set(m.table.name, { ok: false, error: errorOf(error) });
    }
  }
  return {
    byTable,
    results,
    cleanup: () => pruneStaging(options.lakeRoot, base),
  };
}

