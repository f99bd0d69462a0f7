/**
 * The saved plan (`cpgc plan -out FILE`): msgpack of a map
 * `{ magic: "cpgc-plan", ...Plan }`, keys sorted, no msgpackr records extension — any msgpack
 * reader can open it, and the same plan always encodes to the same bytes.
 *
 * Format rule: `format_version` is PLAN_FILE_FORMAT; a reader refuses a file of another format
 * (and anything that is not a plan) with PlanFileError rather than misread it (format 2 added
 * the `-var` values, options.variables). `plan_hash`
 * covers everything but plan_id, plan_hash and created_at, so a file edited by hand (or
 * truncated) is refused as corrupt.
 */
import { Unpackr } from "msgpackr";
import { canonicalEncode, fingerprint } from "../artifacts/canonical.js";
import { PLAN_FILE_FORMAT, type Plan } from "./model.js";

export const PLAN_MAGIC = "cpgc-plan";

export class PlanFileError extends Error {
  readonly code = "CPG1410";
  constructor(message: string) {
    super(message);
    this.name = "PlanFileError";
  }
}

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: "number" } as ConstructorParameters<typeof Unpackr>[0]);

export function encodePlan(plan: Plan): Uint8Array {
  return canonicalEncode({ magic: PLAN_MAGIC, ...plan });
}

export function decodePlan(bytes: Uint8Array): Plan {
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch (error) {
    throw new PlanFileError(`not a cpgc plan file: it is not msgpack (${error instanceof Error ? error.message : String(error)})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || (value as Record<string, unknown>)["magic"] !== PLAN_MAGIC) {
    throw new PlanFileError("not a cpgc plan file (make one with `cpgc plan -out FILE`)");
  }
  const { magic: _magic, ...rest } = value as Record<string, unknown>;
  const version = rest["format_version"];
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) throw new PlanFileError(`the plan file has no valid format_version (${JSON.stringify(version)}): it is corrupt`);
  if (version > PLAN_FILE_FORMAT) {
    const by = typeof rest["cpgc_version"] === "string" ? ` (written by cpgc ${rest["cpgc_version"] as string})` : "";
    throw new PlanFileError(`the plan file is format ${version}${by}, newer than this cpgc reads (${PLAN_FILE_FORMAT}): upgrade cpgc or plan again with this one`);
  }
  if (version < PLAN_FILE_FORMAT) {
    // Saved plans live minutes to days, from plan to apply: planning again is the upgrade path.
    const by = typeof rest["cpgc_version"] === "string" ? ` (written by cpgc ${rest["cpgc_version"] as string})` : "";
    throw new PlanFileError(`the plan file is format ${version}${by}, older than this cpgc applies (${PLAN_FILE_FORMAT}): plan again with this cpgc`);
  }
  const plan = rest as unknown as Plan;
  if (typeof plan.plan_hash !== "string" || !Array.isArray(plan.tables) || typeof plan.config_hash !== "string") throw new PlanFileError("the plan file is incomplete: it is corrupt");
  if (computePlanHash(plan) !== plan.plan_hash) throw new PlanFileError("the plan file does not match its plan_hash: it is corrupt or was edited");
  return plan;
}

/** sha256 of the canonical encoding of every field except plan_id, plan_hash and created_at. */
export function computePlanHash(plan: Plan): string {
  const { plan_id: _id, plan_hash: _hash, created_at: _at, ...rest } = plan;
  return fingerprint(rest);
}
