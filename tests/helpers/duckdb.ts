import { openDatabase, type Database } from "../../runtime-native/index.js";

/** An in-memory DuckDB through the native addon, or null when the addon is not built (the test then skips). */
export function openDuckDbIfBuilt(): Database | null {
  try {
    return openDatabase({ threads: 1 });
  } catch {
    return null;
  }
}
