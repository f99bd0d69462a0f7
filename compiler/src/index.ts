// The public API of the cpgc package: the spec model (for *.cpg.ts files and tools) and diagnostics.
export * from "./spec/index.js";
export * from "./diagnostics/index.js";
export * from "./types/index.js";
