import { z } from "zod";
import { KIND_NAMES, SPEC_KINDS, projectConfig } from "./schema/index.js";

const BASE_ID = "https://cpgc.dev/schemas/";

function toSchema(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $schema: json["$schema"], $id: `${BASE_ID}${id}`, title, ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== "$schema")) };
}

/**
 * The JSON Schemas generated from the zod schemas, by file name. The combined spec schema selects
 * a kind with if/then on `kind` (not oneOf), so editors report errors against the chosen kind only.
 */
export function generateJsonSchemas(): Record<string, string> {
  const files: Record<string, unknown> = {
    "config.schema.json": toSchema(projectConfig, "config.schema.json", "cpgc project config (cpg.config.yaml)"),
  };
  const definitions: Record<string, unknown> = {};
  for (const kind of KIND_NAMES) {
    const s = toSchema(SPEC_KINDS[kind], `${kind.toLowerCase()}.schema.json`, `cpgc ${kind} spec`);
    files[`${kind.toLowerCase()}.schema.json`] = s;
    const { $schema: _s, $id: _i, title: _t, ...body } = s;
    definitions[kind] = body;
  }
  files["spec.schema.json"] = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `${BASE_ID}spec.schema.json`,
    title: "cpgc spec (any kind)",
    description: `A cpgc spec document. Its kind selects the schema: ${KIND_NAMES.join(", ")}.`,
    type: "object",
    required: ["kind"],
    properties: { kind: { enum: KIND_NAMES, description: `Spec kind: ${KIND_NAMES.join(", ")}.` } },
    allOf: KIND_NAMES.map((k) => ({
      if: { properties: { kind: { const: k } }, required: ["kind"] },
      then: { $ref: `#/definitions/${k}` },
    })),
    definitions,
  };
  return Object.fromEntries(Object.entries(files).map(([name, s]) => [name, `${JSON.stringify(s, null, 2)}\n`]));
}
