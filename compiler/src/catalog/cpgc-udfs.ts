/**
 * Documentation of cpgc's own engine functions (UDFs). They are implemented in Rust and registered
 * on every database cpgc opens (runtime-native/src/udf: the list `UDFS` there); DuckDB lists them
 * among its functions without docs or parameter names, so the function catalog takes those from
 * here and marks the entries `origin: "cpgc"`. `cpgc catalog snapshot --check` fails when this list
 * and the engine disagree (a documented UDF missing from the engine, or a different arity).
 */
export interface CpgcUdfDoc {
  readonly name: string;
  /** Parameter names, in order (the engine gives the types). */
  readonly parameters: readonly string[];
  readonly description: string;
}

const STR = "str(s) = u64 little-endian byte length of UTF-8(s) ‖ UTF-8(s)";
const STABLE =
  "Identical across runs, machines and engine versions (not the engine's hash()); NULL when any argument is NULL. " +
  'The exact encoding, with a Python one-liner: runtime-native/README.md, "UDFs: stable ids".';

export const CPGC_UDFS: readonly CpgcUdfDoc[] = [
  {
    name: "cpg_id",
    parameters: ["kind", "path", "bstart", "bend"],
    description:
      "Stable id of a CPG node found at the byte span bstart..bend of the file at path (AST nodes, tokens, calls, ...): " +
      '16 lowercase hex chars = the first 8 bytes of sha256(str("cpg-id-v1") ‖ str(kind) ‖ str(path) ‖ i64(bstart) ‖ i64(bend)), where ' +
      `${STR} and i64(n) = n as 8 bytes little-endian two's complement. ${STABLE}`,
  },
  {
    name: "cpg_key_id",
    parameters: ["kind", "key"],
    description:
      "Stable id of a CPG node identified by a string key (files by path, modules by dotted name, symbols by scope id + name, ...): " +
      `16 lowercase hex chars = the first 8 bytes of sha256(str("cpg-key-id-v1") ‖ str(kind) ‖ str(key)), where ${STR}. ${STABLE}`,
  },
];

const BY_NAME: ReadonlyMap<string, CpgcUdfDoc> = new Map(CPGC_UDFS.map((u) => [u.name, u]));

/** The documentation of the cpgc UDF `name`, if it is one. */
export function cpgcUdfDoc(name: string): CpgcUdfDoc | undefined {
  return BY_NAME.get(name);
}
