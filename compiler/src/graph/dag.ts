/**
 * The dependency graph of a project's tables (datasets and views). Pure: nodes and edges in,
 * deterministic order and cycles out. Ties in the topological order break lexicographically, so
 * the same project always yields the same order, plan and manifest.
 */
export interface GraphNode {
  readonly name: string;
  /** Names of the tables this one reads. Unknown names are the caller's to report. */
  readonly dependsOn: readonly string[];
}

export interface Dag {
  /** Every node, dependencies before dependents, ties by name. Nodes on a cycle are left out. */
  readonly order: readonly string[];
  /** Each cycle once: members in the order they read each other (a reads b, b reads c, c reads a), starting from the smallest name. */
  readonly cycles: readonly (readonly string[])[];
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

export function buildDag(nodes: readonly GraphNode[]): Dag {
  const names = new Set(nodes.map((n) => n.name));
  const dependencies = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    dependencies.set(n.name, [...new Set(n.dependsOn.filter((d) => names.has(d)))].sort());
    if (!dependents.has(n.name)) dependents.set(n.name, []);
  }
  for (const [name, deps] of dependencies) for (const d of deps) (dependents.get(d) ?? []).push(name);
  for (const list of dependents.values()) list.sort();

  // Kahn's algorithm; the ready set is a min-heap so ties go to the smallest name.
  const indegree = new Map([...dependencies].map(([n, deps]) => [n, deps.length]));
  const ready = new MinHeap([...indegree].filter(([, d]) => d === 0).map(([n]) => n));
  const order: string[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const m of dependents.get(next) ?? []) {
      const d = (indegree.get(m) ?? 0) - 1;
      indegree.set(m, d);
      if (d === 0) ready.push(m);
    }
  }
  const left = [...indegree].filter(([, d]) => d > 0).map(([n]) => n);
  return { order, cycles: findCycles(left, dependencies), dependencies, dependents };
}

/** A binary min-heap of strings (code-unit order, like the rest of cpgc's sorting). */
class MinHeap {
  private readonly items: string[] = [];

  constructor(initial: readonly string[]) {
    for (const x of initial) this.push(x);
  }

  push(x: string): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }

  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** The elementary cycles among the nodes Kahn could not order: one per strongly connected component. */
function findCycles(left: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const remaining = new Set(left);
  const cycles: string[][] = [];
  for (const start of [...left].sort()) {
    if (!remaining.has(start)) continue;
    // Follow dependencies inside the remaining set until a node repeats: that closes a cycle.
    const path: string[] = [];
    const seen = new Map<string, number>();
    let cur: string | undefined = start;
    while (cur !== undefined && !seen.has(cur)) {
      seen.set(cur, path.length);
      path.push(cur);
      cur = (deps.get(cur) ?? []).find((d) => remaining.has(d));
    }
    if (cur === undefined) continue;
    const cycle = path.slice(seen.get(cur));
    cycles.push(rotateToSmallest(cycle));
    for (const n of reachableTo(cycle, deps, remaining)) remaining.delete(n);
  }
  return cycles;
}

function rotateToSmallest(cycle: string[]): string[] {
  const min = cycle.indexOf([...cycle].sort()[0]!);
  return [...cycle.slice(min), ...cycle.slice(0, min)];
}

/** The cycle's members and every remaining node that depends on them (they cannot be ordered either). */
function reachableTo(cycle: readonly string[], deps: ReadonlyMap<string, readonly string[]>, remaining: ReadonlySet<string>): Set<string> {
  const out = new Set(cycle);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of remaining) {
      if (out.has(n)) continue;
      if ((deps.get(n) ?? []).some((d) => out.has(d))) {
        out.add(n);
        grew = true;
      }
    }
  }
  return out;
}

/** Every table `name` reads, directly or through others. */
export function ancestors(dag: Dag, name: string): string[] {
  return closure(name, dag.dependencies);
}

/** Every table that reads `name`, directly or through others. */
export function descendants(dag: Dag, name: string): string[] {
  return closure(name, dag.dependents);
}

function closure(start: string, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const out = new Set<string>();
  const stack = [...(edges.get(start) ?? [])];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (out.has(n) || n === start) continue;
    out.add(n);
    stack.push(...(edges.get(n) ?? []));
  }
  return [...out].sort();
}
