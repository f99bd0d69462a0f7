/**
 * Loading the addon (once per process) and calling into it. Shared by the facade's modules
 * (index.ts, delta.ts); nothing else loads the binary.
 */

import { createRequire } from "node:module";

import { NATIVE_FUNCTIONS, type NativeBinding } from "./binding.js";
import { NativeError, toNativeError } from "./errors.js";
import { locateAddon, locateDuckdbLibrary } from "./locate.js";

let binding: NativeBinding | undefined;
let defaultLibrary: string | undefined;

/** The addon's exports, loaded and checked on first use. */
export function loadBinding(): NativeBinding {
  if (binding !== undefined) return binding;
  const addon = locateAddon();
  let exports: unknown;
  try {
    exports = createRequire(import.meta.url)(addon);
  } catch (cause) {
    throw new NativeError(
      "NATIVE_ADDON_LOAD_FAILED",
      `cannot load ${addon}: ${cause instanceof Error ? cause.message : String(cause)}; rebuild with: bash scripts/setup-native.sh`,
      { path: addon },
      { cause },
    );
  }
  const missing = NATIVE_FUNCTIONS.filter((name) => typeof (exports as Record<string, unknown> | null)?.[name] !== "function");
  if (missing.length > 0) {
    throw new NativeError(
      "NATIVE_ADDON_LOAD_FAILED",
      `${addon} lacks native functions ${missing.join(", ")}; rebuild with: bash scripts/setup-native.sh`,
      { path: addon, missing: missing.join(",") },
    );
  }
  binding = exports as NativeBinding;
  return binding;
}

/** `explicit`, or the libduckdb of the installed @duckdb/node-bindings package. */
export function libraryPath(explicit: string | undefined): string {
  if (explicit !== undefined) {
    if (typeof explicit !== "string" || explicit === "") {
      throw new NativeError("INVALID_ARGUMENT", "libraryPath must be a non-empty string", { option: "libraryPath" });
    }
    return explicit;
  }
  defaultLibrary ??= locateDuckdbLibrary();
  return defaultLibrary;
}

/** Runs `call` against the addon, turning whatever it throws into a NativeError. */
export function callNative<T>(call: () => T): T {
  try {
    return call();
  } catch (thrown) {
    throw toNativeError(thrown);
  }
}
