/**
 * Whatever order the keys of a spec are written in, fmt brings it to the same canonical text, keeps
 * the data, and is idempotent. Inputs: the contract files with every mapping's pairs shuffled
 * (serialized by the yaml library, so layouts other than the hand-written ones are covered too).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import { isMap, parseAllDocuments, visit } from "yaml";
import { formatSpecYaml } from "../../../compiler/src/fmt/index.js";
import { CONTRACT, sameYamlData } from "./support.js";

const inputs = [
  { kind: "config" as const, text: readFileSync(join(CONTRACT, "cpg.config.yaml"), "utf8") },
  ...readdirSync(join(CONTRACT, "specs"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ kind: "specs" as const, text: readFileSync(join(CONTRACT, "specs", f), "utf8") })),
];

/** Re-serializes `text` with every mapping's pairs permuted by `rand` (identity when rand is empty). */
function reserialize(text: string, rand: readonly number[]): string {
  let i = 0;
  const next = () => rand[i++ % Math.max(1, rand.length)] ?? 0;
  return parseAllDocuments(text)
    .map((doc) => {
      if (rand.length > 0) {
        visit(doc, {
          Map(_, map) {
            if (!isMap(map)) return;
            const items = [...map.items];
            for (let k = items.length - 1; k > 0; k--) {
              const j = next() % (k + 1);
              [items[k], items[j]] = [items[j]!, items[k]!];
            }
            map.items = items;
          },
        });
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join("");
}

test("shuffled key order formats to the same text as the original order", () => {
  fc.assert(
    fc.property(fc.constantFrom(...inputs), fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }), ({ kind, text }, rand) => {
      const reference = formatSpecYaml(reserialize(text, []), kind).text;
      const shuffled = reserialize(text, rand);
      const formatted = formatSpecYaml(shuffled, kind);
      expect(formatted.diagnostics).toEqual([]);
      expect(formatted.text).toBe(reference);
      expect(sameYamlData(shuffled, formatted.text)).toBe(true);
      expect(formatSpecYaml(formatted.text, kind).text).toBe(formatted.text);
    }),
    { numRuns: 60 },
  );
});
