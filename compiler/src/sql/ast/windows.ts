import type { Identifier } from "./identifiers.js";
import type { Expr } from "./nodes.js";
import type { OrderItem } from "./queries.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/** `OVER (…)` / `OVER w` (a spec with only `base`) / a WINDOW clause body. */
export interface WindowSpec {
  readonly kind: "windowSpec";
  readonly base: Identifier | null;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame: WindowFrame | null;
  readonly range: Range;
}

export type FrameUnits = "ROWS" | "RANGE" | "GROUPS";
export type FrameExclude = "CURRENT ROW" | "GROUP" | "TIES" | "NO OTHERS";

/** `ROWS|RANGE|GROUPS start` or `… BETWEEN start AND end`, with an optional EXCLUDE. */
export interface WindowFrame {
  readonly kind: "windowFrame";
  readonly units: FrameUnits;
  readonly start: FrameBound;
  readonly end: FrameBound | null;
  readonly exclude: FrameExclude | null;
  readonly range: Range;
}

export type FrameBoundType = "UNBOUNDED PRECEDING" | "PRECEDING" | "CURRENT ROW" | "FOLLOWING" | "UNBOUNDED FOLLOWING";

export interface FrameBound {
  readonly kind: "frameBound";
  readonly bound: FrameBoundType;
  /** The offset of `n PRECEDING` / `n FOLLOWING`; null for the other bounds. */
  readonly offset: Expr | null;
  readonly range: Range;
}

/** One definition of a WINDOW clause: `w AS (…)`. */
export interface NamedWindow {
  readonly kind: "namedWindow";
  readonly name: Identifier;
  readonly spec: WindowSpec;
  readonly range: Range;
}

export interface WindowParts {
  readonly base?: Identifier | null;
  readonly partitionBy?: readonly Expr[];
  readonly orderBy?: readonly OrderItem[];
  readonly frame?: WindowFrame | null;
}

export function windowSpec(parts: WindowParts = {}, r: Range = NO_RANGE): WindowSpec {
  return freeze({
    kind: "windowSpec",
    base: parts.base ?? null,
    partitionBy: list(parts.partitionBy ?? []),
    orderBy: list(parts.orderBy ?? []),
    frame: parts.frame ?? null,
    range: r,
  });
}

export function windowFrame(units: FrameUnits, start: FrameBound, end: FrameBound | null = null, exclude: FrameExclude | null = null, r: Range = NO_RANGE): WindowFrame {
  return freeze({ kind: "windowFrame", units, start, end, exclude, range: r });
}

export function frameBound(bound: FrameBoundType, offset: Expr | null = null, r: Range = NO_RANGE): FrameBound {
  return freeze({ kind: "frameBound", bound, offset, range: r });
}

export function namedWindow(name: Identifier, spec: WindowSpec, r: Range = NO_RANGE): NamedWindow {
  return freeze({ kind: "namedWindow", name, spec, range: r });
}
