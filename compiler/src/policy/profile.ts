import { createHash } from "node:crypto";
import { canonicalEncode } from "../artifacts/canonical.js";
import type { POLICY_TRANSFORMS, ProjectConfig, SQL_DIALECTS } from "../spec/schema/index.js";

/** How view SQL is canonicalized: the config's `policy:` with every default made explicit. */
export interface PolicyProfile {
  readonly dialect: (typeof SQL_DIALECTS)[number];
  /** Transforms in the order they run. */
  readonly transforms: readonly (typeof POLICY_TRANSFORMS)[number][];
  readonly normalize_predicates: { readonly max_distance: number };
}

export const DEFAULT_MAX_DISTANCE = 128;

export function resolveProfile(policy: ProjectConfig["policy"]): PolicyProfile {
  return {
    dialect: policy?.dialect ?? "duckdb",
    transforms: policy?.transforms ?? [],
    normalize_predicates: { max_distance: policy?.normalize_predicates?.max_distance ?? DEFAULT_MAX_DISTANCE },
  };
}

/**
 * policy_hash: the profile's canonical encoding plus the function catalog's hash. Any change to how
 * SQL is canonicalized, or to the functions it may call, changes every view's policy hash.
 */
export function policyHash(profile: PolicyProfile, functionCatalogHash: string): string {
  // The lane asks once per view with the same profile object: memoized per profile (profiles
  // are readonly data, resolved once) and catalog hash.
  let byCatalog = HASHES.get(profile);
  if (!byCatalog) {
    byCatalog = new Map();
    HASHES.set(profile, byCatalog);
  }
  let hash = byCatalog.get(functionCatalogHash);
  if (hash === undefined) {
    hash = createHash("sha256").update(canonicalEncode(profile)).update(functionCatalogHash).digest("hex");
    byCatalog.set(functionCatalogHash, hash);
  }
  return hash;
}

const HASHES = new WeakMap<PolicyProfile, Map<string, string>>();
