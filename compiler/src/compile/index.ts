export * from "./compile-project.js";
export * from "./dependencies.js";
export * from "./manifest.js";
export * from "./validate-project.js";
export * from "./check-cache.js";
export * from "./row-deciding.js";
export * from "./defined-at.js";
