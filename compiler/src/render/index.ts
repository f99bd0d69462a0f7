export * from "./graph-model.js";
export * from "./graph-render.js";
export * from "./lineage-render.js";
export * from "./lineage-trace.js";
export * from "./sql-lane.js";
export { renderPlanText } from "./plan-text.js";
export { planToJson, planJsonExitCode, type PlanJson, type PlanTableJson } from "./plan-json.js";
export { renderPlanMarkdown } from "./plan-markdown.js";
