import type { z } from "zod";
import { diagnostic, didYouMean, type Diagnostic } from "../diagnostics/index.js";
import type { RawDocument } from "./raw-document.js";
import { KIND_NAMES, SPEC_KINDS, projectConfig, type AnySpec, type ProjectConfig, type SpecKind } from "./schema/index.js";
import { translateIssues } from "./zod-issues.js";

/** A spec that passed shape validation, with the document it came from (for locations). */
export interface LocatedSpec<S = AnySpec> {
  readonly spec: S;
  readonly doc: RawDocument;
}

export type ShapeResult<S> = { readonly ok: true; readonly value: S; readonly diagnostics: Diagnostic[] } | { readonly ok: false; readonly diagnostics: Diagnostic[] };

function parseWith<S>(schema: z.ZodType<S>, doc: RawDocument, label: string): ShapeResult<S> {
  const r = schema.safeParse(doc.value);
  if (r.success) return { ok: true, value: r.data, diagnostics: [] };
  return { ok: false, diagnostics: translateIssues(r.error.issues, { schema, value: doc.value, locator: doc.locator, label }) };
}

const KIND_LABELS: Record<SpecKind, string> = { Dataset: "dataset", View: "view", DeltaPolicy: "policy" };

export function validateConfigShape(doc: RawDocument): ShapeResult<ProjectConfig> {
  if (!isMapping(doc.value)) {
    return { ok: false, diagnostics: [diagnostic("CPG0102", "cpg.config.yaml must be a mapping", { location: doc.locator.value([]) })] };
  }
  return parseWith(projectConfig, doc, "the config");
}

/** Selects the schema by `kind`, then validates the document against it. */
export function validateSpecShape(doc: RawDocument): ShapeResult<AnySpec> {
  if (!isMapping(doc.value)) {
    return {
      ok: false,
      diagnostics: [diagnostic("CPG0102", "a spec document must be a mapping with a 'kind'", { location: doc.locator.value([]), hints: [`kinds: ${KIND_NAMES.join(", ")}`] })],
    };
  }
  const kind = doc.value["kind"];
  if (kind === undefined) {
    return {
      ok: false,
      diagnostics: [diagnostic("CPG0106", "spec document has no 'kind'", { location: doc.locator.key([]), hints: [`add 'kind:' with one of: ${KIND_NAMES.join(", ")}`] })],
    };
  }
  if (typeof kind !== "string" || !(kind in SPEC_KINDS)) {
    return {
      ok: false,
      diagnostics: [
        diagnostic("CPG0105", `unknown kind ${JSON.stringify(kind)}`, {
          location: doc.locator.value(["kind"]),
          hints: [typeof kind === "string" ? didYouMean(kind, KIND_NAMES) : undefined, `kinds: ${KIND_NAMES.join(", ")}`],
        }),
      ],
    };
  }
  const name = doc.value["name"];
  const label = typeof name === "string" ? `${KIND_LABELS[kind as SpecKind]} '${name}'` : `this ${KIND_LABELS[kind as SpecKind]}`;
  return parseWith(SPEC_KINDS[kind as SpecKind] as z.ZodType<AnySpec>, doc, label);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
