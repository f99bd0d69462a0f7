export * from "./graph-model.js";
export * from "./graph-render.js";
export * from "./lineage-render.js";
export * from "./lineage-trace.js";
export * from "./sql-lane.js";
