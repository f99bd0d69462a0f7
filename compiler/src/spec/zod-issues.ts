import type { z } from "zod";
import { diagnostic, didYouMean, type Diagnostic } from "../diagnostics/index.js";
import { NAME_PATTERN } from "./schema/common.js";
import { formatPath, type DocumentLocator, type SpecPath } from "./raw-document.js";
import { knownKeysAt } from "./zod-walk.js";

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  readonly schema: z.ZodType;
  readonly value: unknown;
  readonly locator: DocumentLocator;
  /** What the document is, for messages at its root, e.g. `dataset 'files'`. */
  readonly label: string;
}

/** Translates zod issues into diagnostics; raw zod output never reaches a user. */
export function translateIssues(issues: readonly Issue[], ctx: IssueContext, base: SpecPath = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) out.push(...translate(issue, ctx, [...base, ...(issue.path as SpecPath)]));
  return dedupe(out);
}

function translate(issue: Issue, ctx: IssueContext, path: SpecPath): Diagnostic[] {
  const where = describeField(path, ctx.label);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(ctx.schema, path);
      return issue.keys.map((k) =>
        diagnostic("CPG0100", `unknown key '${k}' in ${where}`, {
          location: ctx.locator.key([...path, k]),
          hints: [
            didYouMean(k, known),
            /[\s.()]/.test(k) && valueAt(ctx.value, [...path, k]) === null
              ? "this looks like part of a text value: inside { } a comma ends the value, so quote text that contains commas"
              : undefined,
            known.length > 0 ? `allowed keys: ${known.join(", ")}` : undefined,
          ],
        }),
      );
    }
    case "invalid_type": {
      const actual = valueAt(ctx.value, path);
      if (actual === undefined) return missingField(path, ctx);
      return [
        diagnostic("CPG0102", `${where} must be ${article(issue.expected)}, got ${typeName(actual)}`, {
          location: ctx.locator.value(path),
        }),
      ];
    }
    case "invalid_value": {
      const actual = valueAt(ctx.value, path);
      if (actual === undefined) return missingField(path, ctx);
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const candidates = issue.values.filter((v): v is string => typeof v === "string");
      const shown = typeof actual === "string" ? `'${actual}'` : JSON.stringify(actual);
      return [
        diagnostic("CPG0103", `invalid value ${shown} for ${where}; expected ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(", ")}`}`, {
          location: ctx.locator.value(path),
          hints: [typeof actual === "string" ? didYouMean(actual, candidates) : undefined],
        }),
      ];
    }
    case "invalid_format": {
      const isName = issue.format === "regex" && "pattern" in issue && String(issue.pattern) === String(NAME_PATTERN);
      const actual = valueAt(ctx.value, path);
      return [
        diagnostic(isName ? "CPG0107" : "CPG0104", `invalid ${where} ${JSON.stringify(actual)}: ${issue.message}`, {
          location: ctx.locator.value(path),
          hints: [isName && typeof actual === "string" ? `try '${suggestName(actual)}'` : undefined],
        }),
      ];
    }
    case "invalid_union":
      return translateUnion(issue, ctx, path);
    case "too_small":
    case "too_big":
    case "not_multiple_of":
    case "custom":
    default:
      return [diagnostic("CPG0104", `invalid ${where}: ${lowerFirst(issue.message)}`, { location: ctx.locator.value(path) })];
  }
}

function missingField(path: SpecPath, ctx: IssueContext): Diagnostic[] {
  const field = path[path.length - 1];
  return [
    diagnostic("CPG0101", `missing required field '${String(field)}' in ${describeField(path.slice(0, -1), ctx.label)}`, {
      location: ctx.locator.key(path.slice(0, -1)),
    }),
  ];
}

/**
 * A union failed in every branch. Report the branch the author most plausibly meant: the one with
 * the fewest issues that does not lack its own required key. When no branch fits, say what the
 * choices are instead of listing every branch's complaints.
 */
function translateUnion(issue: Extract<Issue, { code: "invalid_union" }>, ctx: IssueContext, path: SpecPath): Diagnostic[] {
  const actual = valueAt(ctx.value, path);
  const choices = unionChoices(ctx, path);
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
    const scalars = issue.errors.flatMap((errs) => errs.filter((e) => e.code === "invalid_type" && e.path.length === 0).map((e) => article((e as { expected: string }).expected)));
    const expected = choices.length > 0 ? `a mapping with one of: ${choices.join(", ")}` : scalars.length > 0 ? [...new Set(scalars)].join(" or ") : "a different kind of value";
    return [diagnostic("CPG0102", `${describeField(path, ctx.label)} must be ${expected}, got ${typeName(actual)}`, { location: ctx.locator.value(path) })];
  }
  const present = Object.keys(actual).filter((k) => choices.includes(k));
  if (present.length > 1) {
    return [
      diagnostic("CPG0108", `${describeField(path, ctx.label)} sets ${present.map((k) => `'${k}'`).join(" and ")}; it takes exactly one`, {
        location: ctx.locator.key([...path, present[1]!]),
        hints: [`keep one of: ${choices.join(", ")}`],
      }),
    ];
  }
  const branches = issue.errors.map((errs) => ({ errs, lacksOwnKey: errs.some((e) => isMissing(e, ctx, path)) }));
  const fitting = branches.filter((b) => !b.lacksOwnKey).sort((a, b) => a.errs.length - b.errs.length);
  if (fitting[0]) return translateIssues(fitting[0].errs, ctx, path);
  // No branch's required key is present: report unknown keys against every branch's keys.
  const known = new Set(knownKeysAt(ctx.schema, path));
  const unknown = Object.keys(actual).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    return unknown.map((k) =>
      diagnostic("CPG0100", `unknown key '${k}' in ${describeField(path, ctx.label)}`, {
        location: ctx.locator.key([...path, k]),
        hints: [didYouMean(k, known), choices.length > 0 ? `expected one of: ${choices.join(", ")}` : undefined],
      }),
    );
  }
  return [
    diagnostic("CPG0101", `${describeField(path, ctx.label)} needs one of: ${choices.join(", ")}`, {
      location: ctx.locator.key(path),
    }),
  ];
}

/** The required key of each union branch (the key that tells the branches apart). */
function unionChoices(ctx: IssueContext, path: SpecPath): string[] {
  const keys = knownKeysAt(ctx.schema, path);
  return keys.filter((k) => !["options", "severity", "name"].includes(k));
}

function isMissing(e: Issue, ctx: IssueContext, base: SpecPath): boolean {
  return e.code === "invalid_type" && e.path.length === 1 && valueAt(ctx.value, [...base, ...(e.path as SpecPath)]) === undefined;
}

export function valueAt(value: unknown, path: SpecPath): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describeField(path: SpecPath, label: string): string {
  return path.length === 0 ? label : `'${formatPath(path)}' of ${label}`;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: "a mapping", array: "a list", string: "a string", number: "a number", boolean: "true or false", int: "an integer" };
  return names[expected] ?? `a ${expected}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function suggestName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9_]+/g, "_");
  return /^[0-9]/.test(n) ? `_${n}` : n;
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.code}|${d.message}|${d.location?.range?.start.offset ?? ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
