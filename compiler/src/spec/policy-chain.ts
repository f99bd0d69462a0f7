import { diagnostic, didYouMean, type Diagnostic } from "../diagnostics/index.js";
import type { DeltaPolicySpec } from "./schema/index.js";
import type { LocatedSpec } from "./validate-shape.js";

export type PolicyChains = ReadonlyMap<string, readonly LocatedSpec<DeltaPolicySpec>[]>;

/**
 * For every policy, its `extends` chain from the root ancestor down to itself. Policies on a cycle
 * or extending an unknown policy get no chain; each cycle is reported once, at its first member.
 */
export function resolvePolicyChains(
  policies: ReadonlyMap<string, LocatedSpec<DeltaPolicySpec>>,
  brokenNames: ReadonlySet<string>,
): { chains: PolicyChains; diagnostics: Diagnostic[] } {
  const chains = new Map<string, LocatedSpec<DeltaPolicySpec>[]>();
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<string>();
  const reportedCycles = new Set<string>();

  const chainOf = (name: string, stack: string[]): LocatedSpec<DeltaPolicySpec>[] | undefined => {
    if (chains.has(name)) return chains.get(name);
    if (failed.has(name)) return undefined;
    const p = policies.get(name);
    if (!p) return undefined;
    const parent = p.spec.extends;
    if (parent === undefined) {
      chains.set(name, [p]);
      return [p];
    }
    const cycleStart = stack.indexOf(parent);
    if (cycleStart >= 0 || parent === name) {
      const members = [...stack.slice(cycleStart >= 0 ? cycleStart : stack.length), name];
      const key = [...members].sort().join(",");
      if (!reportedCycles.has(key)) {
        reportedCycles.add(key);
        const first = policies.get(members[0]!)!;
        diagnostics.push(
          diagnostic("CPG0311", `policy extends cycle: ${[...members, members[0]].join(" → ")}`, {
            location: first.doc.locator.value(["extends"]),
            related: members.slice(1).map((m) => ({ ...policies.get(m)!.doc.locator.value(["extends"]), message: `'${m}' extends '${policies.get(m)!.spec.extends}'` })),
            hints: ["a policy may not extend itself, directly or through others"],
          }),
        );
      }
      for (const m of members) failed.add(m);
      return undefined;
    }
    if (!policies.has(parent)) {
      failed.add(name);
      if (!brokenNames.has(parent)) {
        diagnostics.push(
          diagnostic("CPG0310", `policy '${name}' extends unknown policy '${parent}'`, {
            location: p.doc.locator.value(["extends"]),
            hints: [didYouMean(parent, [...policies.keys(), ...brokenNames]), policies.size > 0 ? `policies: ${[...policies.keys()].sort().join(", ")}` : "no DeltaPolicy is declared"],
          }),
        );
      }
      return undefined;
    }
    const up = chainOf(parent, [...stack, name]);
    if (!up) {
      failed.add(name);
      return undefined;
    }
    const chain = [...up, p];
    chains.set(name, chain);
    return chain;
  };

  for (const name of [...policies.keys()].sort()) chainOf(name, []);
  return { chains, diagnostics };
}
