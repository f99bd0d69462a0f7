import { z } from "zod";
import { datasetSpec } from "./dataset.js";
import { deltaPolicySpec } from "./policy.js";
import { viewSpec } from "./view.js";

export * from "./common.js";
export * from "./config.js";
export * from "./dataset.js";
export * from "./policy.js";
export * from "./view.js";

/** Every spec kind, by its `kind` value. Adding a kind here adds it everywhere (validation, JSON Schema, fmt). */
export const SPEC_KINDS = {
  Dataset: datasetSpec,
  View: viewSpec,
  DeltaPolicy: deltaPolicySpec,
} as const;

export type SpecKind = keyof typeof SPEC_KINDS;
export const KIND_NAMES = Object.keys(SPEC_KINDS) as SpecKind[];

export const anySpec = z
  .discriminatedUnion("kind", [datasetSpec, viewSpec, deltaPolicySpec])
  .describe("Any cpgc spec document, selected by its kind.");

export type AnySpec = z.infer<typeof anySpec>;
