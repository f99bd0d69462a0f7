import type { z } from "zod";
import type { SpecPath } from "./raw-document.js";

type AnySchema = z.ZodType;
interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  options?: AnySchema[];
  valueType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
}

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional/default/nullable/pipe wrappers and expands unions into their members. */
function expand(s: AnySchema): AnySchema[] {
  const def = defOf(s);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return def.innerType ? expand(def.innerType) : [s];
    case "pipe":
      return def.in ? expand(def.in) : [s];
    case "union":
      return (def.options ?? []).flatMap(expand);
    default:
      return [s];
  }
}

/** The schemas that may describe the value at `path` (several where a union leaves it open). */
export function schemasAt(root: AnySchema, path: SpecPath): AnySchema[] {
  let current = expand(root);
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const s of current) {
      const def = defOf(s);
      if (def.type === "object" && typeof seg === "string" && def.shape?.[seg]) next.push(...expand(def.shape[seg]));
      else if (def.type === "array" && typeof seg === "number" && def.element) next.push(...expand(def.element));
      else if (def.type === "record" && def.valueType) next.push(...expand(def.valueType));
    }
    current = next;
  }
  return current;
}

/** Keys an object at `path` may have, in declaration order (the canonical order `cpgc fmt` uses). */
export function knownKeysAt(root: AnySchema, path: SpecPath): string[] {
  const keys: string[] = [];
  for (const s of schemasAt(root, path)) {
    const def = defOf(s);
    if (def.type !== "object" || !def.shape) continue;
    for (const k of Object.keys(def.shape)) if (!keys.includes(k)) keys.push(k);
  }
  return keys;
}
