import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";

import { NativeError, type NativeErrorCode } from "../../../runtime-native/index.js";

/** The shared Delta corpus (read-only: copy a table before changing it). */
export const CORPUS = path.resolve(import.meta.dirname, "../../../../shared/corpus/delta");

export function corpusTable(name: string): string {
  return path.join(CORPUS, name, "delta");
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) makeWritable(full);
    else chmodSync(full, 0o644);
  }
}

/** A private, writable copy of a corpus table; removed after the test file. */
export function copyTable(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cpgc-delta-${name}-`));
  copies.push(dir);
  const table = path.join(dir, "delta");
  cpSync(corpusTable(name), table, { recursive: true });
  makeWritable(dir);
  return table;
}

/** A fresh empty temporary directory; removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cpgc-delta-"));
  copies.push(dir);
  return dir;
}

export function logFile(table: string, version: number, suffix = "json"): string {
  return path.join(table, "_delta_log", `${String(version).padStart(20, "0")}.${suffix}`);
}

/** Runs `fn`, expecting a NativeError with `code`; returns it. */
export function expectNativeError(fn: () => unknown, code: NativeErrorCode): NativeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    expect((error as NativeError).code, (error as NativeError).message).toBe(code);
    return error as NativeError;
  }
  throw new Error(`expected a NativeError ${code}, nothing was thrown`);
}
