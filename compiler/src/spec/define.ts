import type { z } from "zod";
import type { datasetSpec, deltaPolicySpec, viewSpec } from "./schema/index.js";

/**
 * The TypeScript spec API. A `*.cpg.ts` file exports what these return; the loader validates the
 * exports with the same schemas as YAML, so TypeScript only adds editor types, never other rules.
 */
export type DatasetInput = Omit<z.input<typeof datasetSpec>, "kind">;
export type ViewInput = Omit<z.input<typeof viewSpec>, "kind">;
export type PolicyInput = Omit<z.input<typeof deltaPolicySpec>, "kind">;

export function defineDataset(spec: DatasetInput): z.input<typeof datasetSpec> {
  return { kind: "Dataset", ...spec };
}

export function defineView(spec: ViewInput): z.input<typeof viewSpec> {
  return { kind: "View", ...spec };
}

export function definePolicy(spec: PolicyInput): z.input<typeof deltaPolicySpec> {
  return { kind: "DeltaPolicy", ...spec };
}
