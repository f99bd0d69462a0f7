export * from "./function-catalog.js";
export * from "./table-catalog.js";
