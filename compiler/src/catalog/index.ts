export * from "./function-catalog.js";
