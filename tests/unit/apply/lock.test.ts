// The lake lease: atomic create, contention with a timeout, expiry and dead-process takeover, force-unlock.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { NativeError } from "../../../runtime-native/index.js";
import { acquireLakeLock, forceUnlock, lakeLockPath, readLakeLock, tryAcquireLakeLock } from "../../../runtime-native/ts/apply/lock.js";
import { expectCode, tempProject, writeFile } from "./helpers.js";

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<NativeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    expect((error as NativeError).code).toBe(code);
    return error as NativeError;
  }
  throw new Error(`expected ${code}`);
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid ?? 999_999;
}

describe("lake lock", () => {
  it("acquire writes the lease; a second acquire fails with LOCK_HELD naming holder and force-unlock id", async () => {
    const { lake } = tempProject();
    const lease = await acquireLakeLock(lake, { owner: "alice@ci: cpgc apply", planId: "p1", ttlMs: 60_000 });
    const info = readLakeLock(lake);
    expect(info).toEqual(lease.info);
    expect(info).toMatchObject({ owner: "alice@ci: cpgc apply", pid: process.pid, host: hostname(), plan_id: "p1" });
    expect(Date.parse(info?.expires_at ?? "") - Date.parse(info?.created_at ?? "")).toBeGreaterThanOrEqual(59_000);
    const error = await rejectsWith(acquireLakeLock(lake, { owner: "bob" }), "LOCK_HELD");
    expect(error.message).toContain("alice@ci: cpgc apply");
    expect(error.message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(error.message).toContain(`cpgc force-unlock ${lease.id}`);
    expect(error.message).toContain(info?.expires_at);
    expect(error.details).toMatchObject({ id: lease.id, owner: "alice@ci: cpgc apply", pid: String(process.pid) });
    expect(lease.release()).toBe(true);
    expect(readLakeLock(lake)).toBeNull();
    expect(lease.release()).toBe(false);
    // No temporary files are left behind.
    expect(readdirSync(lake)).toEqual([]);
  });

  it("waits up to timeoutMs for the holder to release", async () => {
    const { lake } = tempProject();
    const first = await acquireLakeLock(lake, { owner: "first" });
    const waits: string[] = [];
    setTimeout(() => first.release(), 150);
    const second = await acquireLakeLock(lake, { owner: "second", timeoutMs: 5_000, pollMs: 20, onWait: (h) => waits.push(h.owner) });
    expect(second.info.owner).toBe("second");
    expect(waits[0]).toBe("first");
    const error = await rejectsWith(acquireLakeLock(lake, { owner: "third", timeoutMs: 100, pollMs: 20 }), "LOCK_HELD");
    expect(error.message).toMatch(/waited 0\.\ds/);
    second.release();
  });

  it("renew extends the expiry; an expired lease is taken over and the old holder finds out", async () => {
    const { lake } = tempProject();
    const old = await acquireLakeLock(lake, { owner: "old", ttlMs: 1_000 });
    const renewed = old.renew(60_000);
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(Date.now() + 50_000);
    old.renew(1);
    await new Promise((r) => setTimeout(r, 20));
    const next = await acquireLakeLock(lake, { owner: "next" });
    expect(readLakeLock(lake)?.id).toBe(next.id);
    expectCode(() => old.renew(), "LOCK_NOT_HELD");
    expect(old.release()).toBe(false);
    expect(readLakeLock(lake)?.id).toBe(next.id);
    next.release();
  });

  it("takes over a lock of a dead process on this host, but not a live one on another host", async () => {
    const { lake } = tempProject();
    const far = new Date(Date.now() + 3_600_000).toISOString();
    const now = new Date().toISOString();
    writeFile(lakeLockPath(lake), JSON.stringify({ id: "dead", owner: "crashed", pid: deadPid(), host: hostname(), created_at: now, expires_at: far, plan_id: null }));
    const lease = await acquireLakeLock(lake, { owner: "me" });
    expect(readLakeLock(lake)?.id).toBe(lease.id);
    lease.release();
    writeFile(lakeLockPath(lake), JSON.stringify({ id: "remote", owner: "elsewhere", pid: deadPid(), host: `not-${hostname()}`, created_at: now, expires_at: far, plan_id: null }));
    const attempt = tryAcquireLakeLock(lake, { owner: "me" });
    expect("holder" in attempt && attempt.holder.id).toBe("remote");
  });

  it("a garbled lock file is replaced", async () => {
    const { lake } = tempProject();
    writeFile(lakeLockPath(lake), "not json");
    const lease = await acquireLakeLock(lake);
    expect(JSON.parse(readFileSync(lakeLockPath(lake), "utf8")).id).toBe(lease.id);
    lease.release();
  });

  it("force-unlock removes only the lock with the given id", async () => {
    const { lake } = tempProject();
    expectCode(() => forceUnlock(lake, "nothing"), "LOCK_NOT_HELD");
    const lease = await acquireLakeLock(lake, { owner: "holder" });
    const wrong = expectCode(() => forceUnlock(lake, "wrong-id"), "LOCK_NOT_HELD");
    expect(wrong.message).toContain(lease.id);
    expect(existsSync(lakeLockPath(lake))).toBe(true);
    expect(forceUnlock(lake, lease.id).owner).toBe("holder");
    expect(readLakeLock(lake)).toBeNull();
    expect(readdirSync(path.dirname(lakeLockPath(lake)))).toEqual([]);
  });
});
