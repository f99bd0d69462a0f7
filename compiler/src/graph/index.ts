export * from "./dag.js";
