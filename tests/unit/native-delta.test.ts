// The raw Delta functions of the addon (below the facade): argument checking and coded errors.
import path from "node:path";
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";

import { locateDuckdbLibrary, nativeBinding, NativeError } from "../../runtime-native/index.js";
import { toNativeError } from "../../runtime-native/ts/errors.js";

const TABLE = path.resolve(import.meta.dirname, "../../../shared/corpus/delta/dv-small/delta");
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return toNativeError(error).code;
  }
  return "no error";
}

describe("deltaSnapshot / deltaHistory bindings", () => {
  const native = nativeBinding();
  const lib = locateDuckdbLibrary();

  it("return msgpack buffers for valid calls", () => {
    expect(native.deltaSnapshot(lib, TABLE, packr.pack({})).length).toBeGreaterThan(100);
    expect(native.deltaSnapshot(lib, TABLE, packr.pack({ version: 0n, files: "none" })).length).toBeGreaterThan(100);
    expect(native.deltaHistory(lib, TABLE, packr.pack({ limit: 1 })).length).toBeGreaterThan(10);
  });

  it("refuse ill-typed arguments and options with INVALID_ARGUMENT", () => {
    const call = native.deltaSnapshot as (...args: unknown[]) => unknown;
    expect(code(() => call(lib, TABLE))).toBe("INVALID_ARGUMENT");
    expect(code(() => call(lib, 42, packr.pack({})))).toBe("INVALID_ARGUMENT");
    expect(code(() => call(lib, TABLE, "{}"))).toBe("INVALID_ARGUMENT");
    expect(code(() => call(lib, TABLE, packr.pack({ version: 1n, timestampMs: 1n })))).toBe("INVALID_ARGUMENT");
    expect(code(() => call(lib, TABLE, packr.pack({ versoin: 1 })))).toBe("INVALID_ARGUMENT");
    expect(code(() => call(lib, TABLE, packr.pack({ files: "some" })))).toBe("INVALID_ARGUMENT");
    expect(code(() => call(lib, "", packr.pack({})))).toBe("INVALID_ARGUMENT");
    expect(code(() => (native.deltaHistory as (...args: unknown[]) => unknown)(lib, TABLE, packr.pack({ limit: -1 })))).toBe("INVALID_ARGUMENT");
  });

  it("throw errors that carry code and string details", () => {
    try {
      native.deltaSnapshot(lib, TABLE, packr.pack({ version: 5n }));
      expect.unreachable();
    } catch (error) {
      const e = toNativeError(error);
      expect(e).toBeInstanceOf(NativeError);
      expect([e.code, e.details]).toEqual(["DELTA_VERSION_NOT_FOUND", { latest: "1", version: "5" }]);
    }
  });
});
