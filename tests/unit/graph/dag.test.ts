import { describe, expect, it } from "vitest";
import { ancestors, buildDag, descendants, type GraphNode } from "../../../compiler/src/graph/index.js";

const g = (spec: Record<string, string[]>): GraphNode[] => Object.entries(spec).map(([name, dependsOn]) => ({ name, dependsOn }));

describe("buildDag", () => {
  it.each<[string, Record<string, string[]>, string[]]>([
    ["independent nodes sort by name", { c: [], a: [], b: [] }, ["a", "b", "c"]],
    ["dependencies come first", { a: ["b"], b: [] }, ["b", "a"]],
    ["ties break by name at every step", { z: [], y: ["z"], a: ["z"], m: [] }, ["m", "z", "a", "y"]],
    ["diamond", { top: ["l", "r"], l: ["base"], r: ["base"], base: [] }, ["base", "l", "r", "top"]],
    ["unknown dependencies are ignored here", { a: ["missing"] }, ["a"]],
    ["duplicate edges count once", { a: ["b", "b"], b: [] }, ["b", "a"]],
  ])("%s", (_name, spec, order) => {
    const dag = buildDag(g(spec));
    expect(dag.order).toEqual(order);
    expect(dag.cycles).toEqual([]);
  });

  it("is independent of input order", () => {
    const spec = { e: ["d"], d: ["b", "c"], c: ["a"], b: ["a"], a: [] };
    const forward = buildDag(g(spec)).order;
    const backward = buildDag(g(spec).reverse()).order;
    expect(forward).toEqual(["a", "b", "c", "d", "e"]);
    expect(backward).toEqual(forward);
  });

  it.each<[string, Record<string, string[]>, string[][], string[]]>([
    ["self-loop", { a: ["a"], b: [] }, [["a"]], ["b"]],
    ["two-cycle", { a: ["b"], b: ["a"] }, [["a", "b"]], []],
    ["three-cycle named whole, from its smallest member", { c: ["a"], a: ["b"], b: ["c"], x: [] }, [["a", "b", "c"]], ["x"]],
    ["dependents of a cycle are not ordered and not reported as cycles", { a: ["b"], b: ["a"], d: ["a"], e: [] }, [["a", "b"]], ["e"]],
    ["two separate cycles", { a: ["b"], b: ["a"], x: ["y"], y: ["x"] }, [["a", "b"], ["x", "y"]], []],
  ])("cycles: %s", (_name, spec, cycles, order) => {
    const dag = buildDag(g(spec));
    expect(dag.cycles).toEqual(cycles);
    expect(dag.order).toEqual(order);
  });
});

describe("ancestors and descendants", () => {
  const dag = buildDag(g({ a: [], b: ["a"], c: ["b"], d: ["a"], e: ["c", "d"] }));
  it.each<[string, string[], string[]]>([
    ["a", [], ["b", "c", "d", "e"]],
    ["c", ["a", "b"], ["e"]],
    ["e", ["a", "b", "c", "d"], []],
  ])("%s", (name, up, down) => {
    expect(ancestors(dag, name)).toEqual(up);
    expect(descendants(dag, name)).toEqual(down);
  });
});
