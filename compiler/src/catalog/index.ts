export * from "./cpgc-udfs.js";
export * from "./function-catalog.js";
export * from "./table-catalog.js";
