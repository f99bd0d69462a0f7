/**
 * Finding the two binaries the native runtime needs: libduckdb (from the npm package
 * `@duckdb/node-bindings-<platform>-<arch>`) and the built addon (`runtime-native/cpgc-native.node`
 * under the project root). Pure path logic plus `existsSync`; nothing here loads a binary.
 */

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { NativeError } from "./errors.js";

/** File name of the addon that `napi build` writes into runtime-native/. */
export const ADDON_FILE_NAME = "cpgc-native.node";

export interface DuckdbPlatformPackage {
  /** npm package holding the shared library, e.g. `@duckdb/node-bindings-linux-x64`. */
  packageName: string;
  /** File name of the shared library inside the package. */
  libraryFile: string;
}

/** The DuckDB bindings package for a platform; the native loader supports Linux and macOS. */
export function duckdbPlatformPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): DuckdbPlatformPackage {
  const libraryFile = platform === "linux" ? "libduckdb.so" : platform === "darwin" ? "libduckdb.dylib" : undefined;
  if (libraryFile === undefined || (arch !== "x64" && arch !== "arm64")) {
    throw new NativeError("UNSUPPORTED_PLATFORM", `cpgc's native runtime does not support ${platform}-${arch}`, { platform, arch });
  }
  return { packageName: `@duckdb/node-bindings-${platform}-${arch}`, libraryFile };
}

/** Absolute path of libduckdb, resolved like an import from `fromUrl` (this module by default). */
export function locateDuckdbLibrary(fromUrl: string = import.meta.url): string {
  const { packageName, libraryFile } = duckdbPlatformPackage();
  let packageJson: string;
  try {
    packageJson = createRequire(fromUrl).resolve(`${packageName}/package.json`);
  } catch (cause) {
    throw new NativeError(
      "DUCKDB_LIBRARY_NOT_FOUND",
      `the npm package ${packageName} is not installed (it ships libduckdb); run npm ci`,
      { package: packageName },
      { cause },
    );
  }
  const library = path.join(path.dirname(packageJson), libraryFile);
  if (!existsSync(library)) {
    throw new NativeError("DUCKDB_LIBRARY_NOT_FOUND", `${packageName} is installed but has no ${libraryFile}`, {
      package: packageName,
      path: library,
    });
  }
  return library;
}

/**
 * The project root: the nearest ancestor directory of `fromUrl` that holds a package.json.
 * Works both from source (runtime-native/index.ts) and compiled (dist/runtime-native/index.js).
 */
export function findProjectRoot(fromUrl: string = import.meta.url): string | undefined {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Absolute path of the built addon. */
export function locateAddon(fromUrl: string = import.meta.url): string {
  const root = findProjectRoot(fromUrl);
  const addon = root === undefined ? undefined : path.join(root, "runtime-native", ADDON_FILE_NAME);
  if (addon === undefined || !existsSync(addon)) {
    throw new NativeError(
      "NATIVE_ADDON_NOT_FOUND",
      `the native addon ${addon ?? ADDON_FILE_NAME} is missing; build it with: bash scripts/setup-native.sh`,
      addon === undefined ? undefined : { path: addon },
    );
  }
  return addon;
}
