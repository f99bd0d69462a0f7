// Re-exports used across schema modules, so each module imports from one place.
export { name, description, columnPath, columnPathList, metadata, relativePath } from "./common.js";
export { policyBodyShape, tableDelta } from "./policy.js";
