import type { CallParts } from "../ast/calls.js";
import type { Expr } from "../ast/nodes.js";

/** What follows a function name: the arguments and the aggregate/window parts. */
export interface CallTail {
  readonly args: Expr[];
  readonly parts: CallParts;
}
