export * from "./canonical.js";
