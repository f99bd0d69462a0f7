/**
 * Extract datasets in the desired state: which extractor fills each one, with which of its tables,
 * over which source tree. Pure.
 *
 * Rules (each broken one is a CPG1404 plan error on the dataset):
 * - `source.options.table` names the extractor's table (default: the dataset's name).
 * - Exactly one dataset per extractor declares the tree: `root` (after `{{ name }}` templating
 *   with the config variables and `-var`) and `include` (a list of globs), optionally `exclude`
 *   and `max_file_bytes`. Every dataset of the extractor gets a copy of it.
 * - Every extract dataset has a `path` column: rows are replaced per file by it.
 */
import type { DesiredExtract, PlanError } from "./model.js";

export type TemplateValue = string | number | boolean;

/** What an extract dataset declares: its name, columns and the extractor source as written. */
export interface ExtractDeclaration {
  readonly name: string;
  readonly columns: readonly { readonly name: string }[];
  readonly extractor: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ExtractOutcome {
  readonly extract: DesiredExtract | null;
  /** The options after templating (recorded in the table's source, so spec_hash sees `-var` values). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly errors: readonly PlanError[];
}

/** The column every extract dataset is keyed by per file. */
export const EXTRACT_PATH_COLUMN = "path";

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `{{ name }}` in option strings replaced by the variable's text; unknown names are reported. */
export function templateOptions(value: unknown, variables: Readonly<Record<string, TemplateValue>>, unknown: Set<string>): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (whole, name: string) => {
      if (!Object.hasOwn(variables, name)) {
        unknown.add(name);
        return whole;
      }
      return String(variables[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => templateOptions(v, variables, unknown));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templateOptions(v, variables, unknown)]));
  }
  return value;
}

const error = (message: string, hints: readonly string[] = []): PlanError => ({ code: "CPG1404", message, hints });

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Per extract dataset (by name): its extract descriptor (null when it has errors), templated options and errors. */
export function resolveExtracts(declarations: readonly ExtractDeclaration[], variables: Readonly<Record<string, TemplateValue>>): Map<string, ExtractOutcome> {
  const templated = new Map<string, { options: Record<string, unknown>; errors: PlanError[] }>();
  for (const d of declarations) {
    const unknown = new Set<string>();
    const options = templateOptions(d.options, variables, unknown) as Record<string, unknown>;
    const errors: PlanError[] = [];
    if (unknown.size > 0) {
      const names = Object.keys(variables).sort();
      errors.push(error(`source options use unknown variable${unknown.size === 1 ? "" : "s"} ${[...unknown].sort().join(", ")}`, [names.length > 0 ? `variables: ${names.join(", ")}` : "declare it under `variables:` in cpg.config.yaml, or pass -var name=value"]));
    }
    if (!d.columns.some((c) => c.name === EXTRACT_PATH_COLUMN)) {
      errors.push(error(`an extract dataset needs a \`${EXTRACT_PATH_COLUMN}\` column (the file each row comes from): its rows are replaced file by file`, [`add { name: ${EXTRACT_PATH_COLUMN}, type: utf8, nullable: false }`]));
    }
    if (options["table"] !== undefined && typeof options["table"] !== "string") errors.push(error("source.options.table must be the name of one of the extractor's tables"));
    templated.set(d.name, { options, errors });
  }

  const trees = new Map<string, string[]>();
  for (const d of declarations) {
    const o = templated.get(d.name)!.options;
    if (o["root"] !== undefined || o["include"] !== undefined) {
      const list = trees.get(d.extractor) ?? [];
      list.push(d.name);
      trees.set(d.extractor, list);
    }
  }

  const holders = new Map<string, string[]>();
  for (const d of declarations) {
    const t = templated.get(d.name)!.options["table"];
    const key = `${d.extractor}\0${typeof t === "string" ? t : d.name}`;
    holders.set(key, [...(holders.get(key) ?? []), d.name]);
  }

  const out = new Map<string, ExtractOutcome>();
  for (const d of declarations) {
    const { options, errors } = templated.get(d.name)!;
    const table = typeof options["table"] === "string" ? options["table"] : d.name;
    const sharing = (holders.get(`${d.extractor}\0${table}`) ?? []).filter((n) => n !== d.name);
    if (sharing.length > 0) errors.push(error(`${[d.name, ...sharing].sort().join(" and ")} both hold table '${table}' of extractor '${d.extractor}'`, ["give each dataset its own source.options.table"]));
    const owners = (trees.get(d.extractor) ?? []).sort();
    let tree: Omit<DesiredExtract, "extractor" | "table"> | null = null;
    if (owners.length === 0) {
      errors.push(error(`no dataset of extractor '${d.extractor}' declares the source tree`, ["give exactly one of them `root` and `include` under source.options, e.g. root: \"{{ source_root }}\", include: [\"**/*.py\"]"]));
    } else if (owners.length > 1) {
      errors.push(error(`datasets ${owners.join(", ")} of extractor '${d.extractor}' each declare a source tree; exactly one may`, ["keep root / include / exclude / max_file_bytes on one dataset of the extractor"]));
    } else {
      const from = owners[0]!;
      const o = templated.get(from)!.options;
      const problems: string[] = [];
      if (typeof o["root"] !== "string" || o["root"] === "") problems.push("root must be a non-empty string (a path relative to the config file, or stdlib:PACKAGE)");
      if (!isStrings(o["include"]) || o["include"].length === 0) problems.push("include must be a non-empty list of globs");
      if (o["exclude"] !== undefined && !isStrings(o["exclude"])) problems.push("exclude must be a list of globs");
      const max = o["max_file_bytes"];
      if (max !== undefined && !(typeof max === "number" && Number.isInteger(max) && max > 0)) problems.push("max_file_bytes must be a positive integer");
      if (problems.length > 0) {
        errors.push(error(`the source tree of extractor '${d.extractor}' (declared by ${from}) is invalid: ${problems.join("; ")}`));
      } else {
        tree = {
          root: o["root"] as string,
          include: [...(o["include"] as string[])],
          exclude: [...((o["exclude"] as string[] | undefined) ?? [])],
          max_file_bytes: (max as number | undefined) ?? null,
          tree_from: from,
        };
      }
    }
    out.set(d.name, { extract: errors.length === 0 && tree !== null ? { extractor: d.extractor, table, ...tree } : null, options, errors });
  }
  return out;
}
