import type { z } from "zod";
import { knownKeysAt, schemasAt } from "../spec/zod-walk.js";

/**
 * The schemas that may describe one YAML node, already expanded (optional/default unwrapped,
 * unions split into members, as `schemasAt` returns them). `null` means "no schema": the kind is
 * unknown, so nothing under it is reordered.
 */
export type Schemas = readonly z.ZodType[] | null;

export interface MapOrder {
  /** order[p] = index (in the source) of the pair that goes to position p. */
  readonly order: number[];
  /** The schemas of the value under `key`. */
  child(key: string): Schemas;
}

/** Candidates for the document root. */
export function rootSchemas(schema: z.ZodType | null): Schemas {
  return schema ? schemasAt(schema, []) : null;
}

/**
 * Canonical order of a mapping's keys: the keys the schema declares, in declaration order
 * (`knownKeysAt`), then the keys it does not know, in their original relative order. Where a union
 * leaves several object shapes open (expectations, dataset sources), the member that declares the
 * most of the present keys decides the order, so `{sql, name, severity}` follows the `sql` member
 * rather than a merge of every member's keys.
 */
export function orderMap(schemas: Schemas, keys: readonly string[]): MapOrder {
  const identity = keys.map((_, i) => i);
  if (!schemas) return { order: identity, child: () => null };
  let best: z.ZodType | undefined;
  let bestKnown: string[] = [];
  let bestScore = -1;
  for (const s of schemas) {
    const known = knownKeysAt(s, []);
    if (known.length === 0) continue;
    const score = keys.filter((k) => known.includes(k)).length;
    if (score > bestScore) {
      best = s;
      bestKnown = known;
      bestScore = score;
    }
  }
  const rank = (i: number): number => {
    const r = bestKnown.indexOf(keys[i] ?? "");
    return r >= 0 ? r : bestKnown.length + i;
  };
  const order = [...identity].sort((a, b) => rank(a) - rank(b));
  const child = (key: string): Schemas => {
    const own = best ? schemasAt(best, [key]) : [];
    return own.length > 0 ? own : schemas.flatMap((s) => schemasAt(s, [key]));
  };
  return { order, child };
}

/** The schemas of a sequence's items. */
export function itemSchemas(schemas: Schemas): Schemas {
  return schemas ? schemas.flatMap((s) => schemasAt(s, [0])) : null;
}
