/** The part of plan / apply that reads and writes the lake (see compiler/src/plan/README.md). */
export * from "./observe.js";
export * from "./source.js";
export * from "./digest.js";
export * from "./lock.js";
export * from "./views.js";
export * from "./runs.js";
export * from "./expectations.js";
export * from "./execute.js";
