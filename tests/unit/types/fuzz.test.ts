/**
 * Property tests with a seeded PRNG (override with CPGC_FUZZ_SEED=<n>): random type trees
 * round-trip through every printer/converter, and random or mutated strings never make a
 * parser throw and always yield in-range error locations.
 */
import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  PRIMITIVE_KINDS,
  type ScalarType,
  type StructField,
  type TimeUnit,
  decimal,
  field,
  formatArrowType,
  fromDeltaType,
  fromDuckDbType,
  list,
  map,
  parseArrowType,
  parseFieldPath,
  primitive,
  struct,
  time32,
  time64,
  timestamp,
  toDeltaType,
  toDuckDbTypeWithNotes,
  validateArrowType,
} from "../../../compiler/src/types/index.js";
import { fromArrowDataType, toArrowDataType } from "../../../compiler/src/types/arrow.js";
import { seededRandom as prng } from "../../helpers/rng.js";

const SEED = Number(process.env.CPGC_FUZZ_SEED ?? 20240611);

class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
}

const NAMES = ["a", "b", "id", "span", "bstart", "Bend", "x_1", "_p", "struct", "not", "null", "list", "map",
  "weird name", 'q"uote', "dotted.name", "ünïcode", "1st", "tab\there", "  ", ",", "<>", ":"];
const ZONES = ["UTC", "Europe/Paris", "+05:30", "Etc/GMT+3", "utc", "Mars Standard", 'a"b', "tz"];
const UNITS: readonly TimeUnit[] = ["s", "ms", "us", "ns"];

function scalar(g: Gen): ScalarType {
  switch (g.int(6)) {
    case 0:
      return timestamp(g.pick(UNITS), g.bool() ? null : g.pick(ZONES));
    case 1: {
      const p = 1 + g.int(38);
      return decimal(p, g.int(p + 1));
    }
    case 2:
      return g.bool() ? time32(g.pick(["s", "ms"] as const)) : time64(g.pick(["us", "ns"] as const));
    default:
      return primitive(g.pick(PRIMITIVE_KINDS));
  }
}

function randomType(g: Gen, depth: number): ArrowType {
  if (depth <= 0 || g.bool(0.4)) return scalar(g);
  switch (g.int(3)) {
    case 0: {
      const fields: StructField[] = [];
      const used = new Set<string>();
      for (let i = 0, n = 1 + g.int(4); i < n; i++) {
        const name = g.pick(NAMES);
        if (used.has(name.toLowerCase())) continue;
        used.add(name.toLowerCase());
        fields.push(field(name, randomType(g, depth - 1), g.bool(0.7)));
      }
      return struct(fields);
    }
    case 1:
      return list(randomType(g, depth - 1), g.bool(0.7));
    default:
      return map(scalar(g), randomType(g, depth - 1), g.bool(0.7));
  }
}

const ALPHABET = [..."<>()[],:\"' =.-+/_", ..."abcdefghijklmnopqrstuvwxyzINT0123456789", " ", "\n", "é", "\u0000"];
const TOKENS = ["struct", "list", "map", "timestamp", "decimal", "int64", "utf8", "not", "null", "tz", "us",
  "STRUCT", "MAP", "VARCHAR", "INTEGER", "WITH", "TIME", "ZONE", "[]", "<", ">", "(", ")", ", ", ": ", '"', "18", "40"];

function garbage(g: Gen): string {
  let s = "";
  for (let i = 0, n = g.int(40); i < n; i++) s += g.bool(0.6) ? g.pick(ALPHABET) : g.pick(TOKENS);
  return s;
}

function mutate(g: Gen, text: string): string {
  let s = text;
  for (let i = 0, n = 1 + g.int(3); i < n; i++) {
    const at = g.int(s.length + 1);
    switch (g.int(4)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + 1 + g.int(3));
        break;
      case 1:
        s = s.slice(0, at) + g.pick([...ALPHABET, ...TOKENS]) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at);
        break;
      default:
        s = s.slice(0, at) + g.pick(ALPHABET) + s.slice(at + 1);
    }
  }
  return s;
}

type Located = { ok: true } | { ok: false; error: { offset: number; length: number; message: string } };

function expectLocated(input: string, r: Located): void {
  if (r.ok) return;
  const { offset, length, message } = r.error;
  const where = `${JSON.stringify(input)} (seed ${SEED})`;
  expect(offset, where).toBeGreaterThanOrEqual(0);
  expect(length, where).toBeGreaterThanOrEqual(0);
  expect(offset + length, where).toBeLessThanOrEqual(input.length);
  expect(message.length, where).toBeGreaterThan(0);
}

describe(`fuzz (seed ${SEED})`, () => {
  const types = (() => {
    const g = new Gen(prng(SEED));
    return Array.from({ length: 1500 }, () => randomType(g, 1 + g.int(6)));
  })();

  it("random type trees are valid and round-trip through the type-string printer", () => {
    for (const t of types) {
      expect(validateArrowType(t)).toEqual([]);
      const text = formatArrowType(t);
      const r = parseArrowType(text);
      expect(r.ok ? r.type : r.error, text).toEqual(t);
      expect(r.ok && formatArrowType(r.type)).toBe(text);
    }
  });

  it("random type trees round-trip through Arrow, Delta and DuckDB (exactly when no note is raised)", () => {
    let deltaExact = 0;
    let duckExact = 0;
    for (const t of types) {
      const text = formatArrowType(t);
      const arrow = fromArrowDataType(toArrowDataType(t));
      expect(arrow.ok && arrow.type, text).toEqual(t);

      const d = toDeltaType(t);
      if (d.ok) {
        const back = fromDeltaType(JSON.parse(JSON.stringify(d.type)));
        expect(back.ok, text).toBe(true);
        if (back.ok && d.notes.length === 0) {
          expect(back.type, text).toEqual(t);
          deltaExact++;
        }
      } else {
        expect(text).toMatch(/uint|float16|time32|time64/);
      }

      const duck = toDuckDbTypeWithNotes(t);
      const back = fromDuckDbType(duck.text);
      expect(back.ok ? true : back.error.message, `${text} → ${duck.text}`).toBe(true);
      if (back.ok && duck.notes.length === 0) {
        expect(back.type, text).toEqual(t);
        duckExact++;
      }
    }
    expect(deltaExact).toBeGreaterThan(100);
    expect(duckExact).toBeGreaterThan(100);
  });

  it("parsers never throw on random or mutated strings and locate errors inside the input", () => {
    const g = new Gen(prng(SEED + 1));
    const inputs: string[] = [];
    for (let i = 0; i < 4000; i++) inputs.push(garbage(g));
    for (const t of types) {
      inputs.push(mutate(g, formatArrowType(t)));
      inputs.push(mutate(g, toDuckDbTypeWithNotes(t).text));
    }
    let accepted = 0;
    for (const input of inputs) {
      const r = parseArrowType(input);
      expectLocated(input, r);
      if (r.ok) {
        accepted++;
        const again = parseArrowType(formatArrowType(r.type));
        expect(again.ok && again.type, input).toEqual(r.type);
      }
      const d = fromDuckDbType(input);
      expectLocated(input, d);
      if (d.ok) expect(parseArrowType(formatArrowType(d.type)).ok, input).toBe(true);
      expectLocated(input, parseFieldPath(input));
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it("fromDeltaType never throws on random JSON", () => {
    const g = new Gen(prng(SEED + 2));
    const leaves = ["long", "string", "decimal(5,2)", "timestamp", "void", 1, null, true, [], {}];
    const json = (depth: number): unknown => {
      if (depth <= 0 || g.bool(0.3)) return g.pick(leaves);
      switch (g.int(3)) {
        case 0:
          return { type: "struct", fields: Array.from({ length: g.int(3) }, () => ({ name: g.pick(["a", "b", "A", "", 3]), type: json(depth - 1), nullable: g.pick([true, false, "yes"]), ...(g.bool() ? { metadata: g.pick([{}, { k: 1 }, 5]) } : {}) })) };
        case 1:
          return { type: "array", elementType: json(depth - 1), containsNull: g.pick([true, false, undefined]) };
        default:
          return { type: g.pick(["map", "map", "mapp"]), keyType: json(depth - 1), valueType: json(depth - 1), valueContainsNull: g.pick([true, false, 0]) };
      }
    };
    for (let i = 0; i < 3000; i++) {
      const r = fromDeltaType(json(5));
      if (r.ok) expect(validateArrowType(r.type)).toEqual([]);
      else expect(r.message.length).toBeGreaterThan(0);
    }
  });
});
