/**
 * The extract driver: runs extractors over a source tree into staged ndjson chunks that the apply
 * loads into the extract datasets (runtime-native/ts/apply). See README.md in this directory.
 */

export { resolveSourceRoot } from "./root.js";
export { scanTree, sha256File, type TreeFile } from "./tree.js";
export {
  runExtractor,
  balanceBySize,
  DEFAULT_CHUNK_ROWS,
  DEFAULT_MAX_FILE_BYTES,
  type ExtractRequest,
  type ExtractResult,
  type ExtractTable,
  type ExtractWorkerStats,
} from "./run.js";
export { extractorVersion } from "./version.js";
export { extractTreeOptions, type ExtractDatasetLike, type ExtractTreeOptions } from "./options.js";
export { locateExtractor, extractorNames, type ExtractorInfo } from "./registry.js";
export { pythonCommand, pythonInfo, type PythonInfo } from "./python.js";
