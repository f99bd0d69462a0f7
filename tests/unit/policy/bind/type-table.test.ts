// TypeTable: the side table of expression types made on first read behaves as the Map it
// replaces (a later binding of a node wins and keeps the node's first position; adds after a read count).
import { describe, expect, it } from "vitest";
import { type ExprType, TypeTable } from "../../../../compiler/src/policy/bind/type-table.js";
import { INT32, UTF8 } from "../../../../compiler/src/policy/bind/value-type.js";
import { type Expr, numberLiteral, stringLiteral } from "../../../../compiler/src/sql/index.js";

describe("TypeTable", () => {
  it("reads as a Map filled in binding order", () => {
    const a = numberLiteral("1");
    const b = stringLiteral("x");
    const t = new TypeTable();
    t.add(a, UTF8, true);
    t.add(b, UTF8, false);
    t.add(a, INT32, false);
    const expected = new Map<Expr, ExprType>([
      [a, { type: INT32, nullable: false }],
      [b, { type: UTF8, nullable: false }],
    ]);
    expect(t.size).toBe(2);
    expect([...t]).toEqual([...expected]);
    expect([...t.keys()]).toEqual([a, b]);
    expect(t.get(a)).toEqual({ type: INT32, nullable: false });
    expect(t.has(b)).toBe(true);
    const seen: unknown[] = [];
    t.forEach((v, k, m) => seen.push([k, v, m === t]));
    expect(seen).toEqual([...expected].map(([k, v]) => [k, v, true]));
    t.add(b, INT32, true);
    expect(t.get(b)).toEqual({ type: INT32, nullable: true });
  });
});
