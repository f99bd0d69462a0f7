export * from "./canonical.js";
export * from "./semantic-diff.js";
export * from "./stats-columns.js";
