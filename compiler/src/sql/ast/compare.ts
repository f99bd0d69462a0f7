import type { Node } from "./nodes.js";

/**
 * The tree as plain data without source ranges: what "the same query" means when comparing a
 * parse with the parse of its printed text. Key order is kept (factories fix it per kind).
 */
export function stripRanges(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripRanges);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== "range") out[key] = stripRanges(v);
  return out;
}

/** Structural equality ignoring source ranges. */
export function sameTree(a: Node, b: Node): boolean {
  return equalIgnoringRanges(a, b);
}

function equalIgnoringRanges(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => equalIgnoringRanges(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => k !== "range");
  const kb = Object.keys(b).filter((k) => k !== "range");
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && equalIgnoringRanges(ra[k], rb[k]));
}
