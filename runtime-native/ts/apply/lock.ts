/**
 * The lake-level lease `<lake>/_cpgc_lock`: one JSON file `{ id, owner, pid, host, created_at,
 * expires_at, plan_id }` that at most one apply holds.
 *
 * - Acquire is an atomic create: the content is written to a temporary file, then hard-linked
 *   to the lock's name (link fails when the name exists), so a reader never sees half a lock.
 * - A lock is stale when its expiry has passed, or when it was taken on this host by a process
 *   that no longer runs. Taking over a stale lock renames it aside (atomic), checks that the file
 *   moved is the one judged stale (else puts it back), removes it and creates a fresh one.
 * - `renew` extends the expiry (write + rename over the lock, only while the lock is still ours);
 *   `release` removes it only while it is ours; `forceUnlock` removes it only given its id.
 *
 * Per-table optimistic concurrency still guards every commit; the lease only keeps two applies
 * from interleaving their actions.
 */

import { randomUUID } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

import { LOCK_FILE } from "../../../compiler/src/plan/model.js";
import { NativeError } from "../errors.js";

export interface LakeLockInfo {
  readonly id: string;
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  /** ISO-8601 UTC. */
  readonly created_at: string;
  /** ISO-8601 UTC. */
  readonly expires_at: string;
  readonly plan_id: string | null;
}

export interface LakeLease {
  readonly lakeRoot: string;
  readonly id: string;
  /** The lock as last written by this lease. */
  readonly info: LakeLockInfo;
  /** Extends the expiry by `ttlMs` (default: the acquire's) from now; LOCK_NOT_HELD when the lock is no longer ours. */
  renew(ttlMs?: number): LakeLockInfo;
  /** Removes the lock if it is still ours; returns whether it was. */
  release(): boolean;
}

export interface AcquireLakeLockOptions {
  /** How long to wait for a held lock (default 0: fail at once). */
  readonly timeoutMs?: number;
  /** Who holds the lock, for messages (default `user@host`). */
  readonly owner?: string;
  /** Lease duration; renew before it passes (default 10 minutes). */
  readonly ttlMs?: number;
  readonly planId?: string | null;
  /** Poll interval while waiting (default 200 ms). */
  readonly pollMs?: number;
  /** Called once per poll while another holder has the lock. */
  readonly onWait?: (holder: LakeLockInfo) => void;
}

export const DEFAULT_LOCK_TTL_MS = 10 * 60 * 1000;

/** Path of the lock file of a lake. */
export function lakeLockPath(lakeRoot: string): string {
  return path.join(path.resolve(lakeRoot), LOCK_FILE);
}

function parseLock(text: string): LakeLockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LakeLockInfo>;
    if (typeof v.id !== "string" || typeof v.owner !== "string" || typeof v.pid !== "number" || typeof v.host !== "string") return null;
    if (typeof v.created_at !== "string" || typeof v.expires_at !== "string") return null;
    return { id: v.id, owner: v.owner, pid: v.pid, host: v.host, created_at: v.created_at, expires_at: v.expires_at, plan_id: typeof v.plan_id === "string" ? v.plan_id : null };
  } catch {
    return null;
  }
}

type Read = { kind: "absent" } | { kind: "lock"; info: LakeLockInfo } | { kind: "garbled"; text: string };

function readAt(file: string): Read {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "absent" };
    throw new NativeError("STORAGE_IO", `cannot read the lake lock ${file}: ${(error as Error).message}`, { path: file });
  }
  const info = parseLock(text);
  return info === null ? { kind: "garbled", text } : { kind: "lock", info };
}

/** The lake's lock, or null when none is held (a garbled lock file reads as null). */
export function readLakeLock(lakeRoot: string): LakeLockInfo | null {
  const r = readAt(lakeLockPath(lakeRoot));
  return r.kind === "lock" ? r.info : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why a lock may be taken over (`expired`, `dead-process`), or null while it is valid. */
export function lockStaleness(info: LakeLockInfo, now = Date.now()): "expired" | "dead-process" | null {
  const expires = Date.parse(info.expires_at);
  if (!Number.isFinite(expires) || expires <= now) return "expired";
  if (info.host === hostname() && !processAlive(info.pid)) return "dead-process";
  return null;
}

function writeTemp(dir: string, info: LakeLockInfo): string {
  const tmp = path.join(dir, `.${LOCK_FILE}.${info.id}.${randomUUID().slice(0, 8)}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { flag: "wx" });
  return tmp;
}

/** Creates the lock atomically; false when a lock already exists. */
function createLock(lockPath: string, info: LakeLockInfo): boolean {
  const tmp = writeTemp(path.dirname(lockPath), info);
  try {
    linkSync(tmp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new NativeError("STORAGE_IO", `cannot create the lake lock ${lockPath}: ${(error as Error).message}`, { path: lockPath });
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Takes over the lock judged stale (`judged`): true when it was removed (or already gone). */
function removeStale(lockPath: string, judged: Read, myId: string): boolean {
  const aside = `${lockPath}.stale-${myId}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw new NativeError("STORAGE_IO", `cannot move the stale lake lock ${lockPath} aside: ${(error as Error).message}`, { path: lockPath });
  }
  const moved = readAt(aside);
  const same =
    (judged.kind === "lock" && moved.kind === "lock" && moved.info.id === judged.info.id && moved.info.expires_at === judged.info.expires_at) ||
    (judged.kind === "garbled" && moved.kind === "garbled" && moved.text === judged.text);
  if (!same) {
    // Another apply renewed or replaced it meanwhile: put it back (unless yet another one exists).
    try {
      linkSync(aside, lockPath);
    } catch {
      // a newer lock exists; the one moved aside lost its place either way
    }
  }
  rmSync(aside, { force: true });
  return same;
}

function heldError(lakeRoot: string, holder: LakeLockInfo, waitedMs: number): NativeError {
  const plan = holder.plan_id === null ? "" : `, plan ${holder.plan_id}`;
  const waited = waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 100) / 10}s)` : "";
  return new NativeError(
    "LOCK_HELD",
    `the lake ${lakeRoot} is locked by ${holder.owner} (pid ${holder.pid} on ${holder.host}${plan}) since ${holder.created_at}, until ${holder.expires_at}${waited}; ` +
      `if that apply is gone, run \`cpgc force-unlock ${holder.id}\``,
    { id: holder.id, owner: holder.owner, pid: String(holder.pid), host: holder.host, createdAt: holder.created_at, expiresAt: holder.expires_at },
  );
}

function newInfo(id: string, options: AcquireLakeLockOptions, createdAt: string): LakeLockInfo {
  const host = hostname();
  const ttl = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const user = process.env["USER"] ?? process.env["USERNAME"] ?? "cpgc";
  return { id, owner: options.owner ?? `${user}@${host}`, pid: process.pid, host, created_at: createdAt, expires_at: new Date(Date.now() + ttl).toISOString(), plan_id: options.planId ?? null };
}

class Lease implements LakeLease {
  #info: LakeLockInfo;
  readonly #ttlMs: number;
  readonly #lockPath: string;

  constructor(
    readonly lakeRoot: string,
    info: LakeLockInfo,
    ttlMs: number,
  ) {
    this.#info = info;
    this.#ttlMs = ttlMs;
    this.#lockPath = lakeLockPath(lakeRoot);
  }

  get id(): string {
    return this.#info.id;
  }

  get info(): LakeLockInfo {
    return this.#info;
  }

  renew(ttlMs = this.#ttlMs): LakeLockInfo {
    const current = readAt(this.#lockPath);
    if (current.kind !== "lock" || current.info.id !== this.id) {
      throw new NativeError("LOCK_NOT_HELD", `the lake lock ${this.#lockPath} is no longer held by this apply (lease ${this.id}); another process took it over`, { id: this.id });
    }
    const next = { ...this.#info, expires_at: new Date(Date.now() + ttlMs).toISOString() };
    const tmp = writeTemp(path.dirname(this.#lockPath), next);
    try {
      renameSync(tmp, this.#lockPath);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw new NativeError("STORAGE_IO", `cannot renew the lake lock ${this.#lockPath}: ${(error as Error).message}`, { path: this.#lockPath });
    }
    this.#info = next;
    return next;
  }

  release(): boolean {
    const current = readAt(this.#lockPath);
    if (current.kind !== "lock" || current.info.id !== this.id) return false;
    try {
      unlinkSync(this.#lockPath);
      return true;
    } catch {
      return false;
    }
  }
}

/** One attempt: the lease, or the lock that holds the lake. */
export function tryAcquireLakeLock(lakeRoot: string, options: AcquireLakeLockOptions = {}): { lease: LakeLease } | { holder: LakeLockInfo } {
  const root = path.resolve(lakeRoot);
  mkdirSync(root, { recursive: true });
  const lockPath = lakeLockPath(root);
  const id = randomUUID();
  for (let round = 0; round < 16; round++) {
    const info = newInfo(id, options, new Date().toISOString());
    if (createLock(lockPath, info)) return { lease: new Lease(root, info, options.ttlMs ?? DEFAULT_LOCK_TTL_MS) };
    const current = readAt(lockPath);
    if (current.kind === "absent") continue;
    if (current.kind === "lock" && lockStaleness(current.info) === null) return { holder: current.info };
    removeStale(lockPath, current, id);
  }
  const holder = readLakeLock(root);
  if (holder !== null) return { holder };
  throw new NativeError("STORAGE_IO", `cannot create the lake lock ${lockPath}: it keeps changing`, { path: lockPath });
}

/**
 * Acquires the lake's lease, waiting up to `timeoutMs` for a holder to release it (or for its
 * lease to expire); then LOCK_HELD naming the holder and the `cpgc force-unlock` command.
 */
export async function acquireLakeLock(lakeRoot: string, options: AcquireLakeLockOptions = {}): Promise<LakeLease> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 0;
  const poll = Math.max(10, options.pollMs ?? 200);
  for (;;) {
    const attempt = tryAcquireLakeLock(lakeRoot, options);
    if ("lease" in attempt) return attempt.lease;
    const waited = Date.now() - started;
    if (waited >= timeout) throw heldError(path.resolve(lakeRoot), attempt.holder, waited);
    options.onWait?.(attempt.holder);
    await new Promise((resolve) => setTimeout(resolve, Math.min(poll, Math.max(1, timeout - waited))));
  }
}

/** Removes the lake's lock given its id (LOCK_NOT_HELD when there is none or the id differs); returns the lock removed. */
export function forceUnlock(lakeRoot: string, id: string): LakeLockInfo {
  const lockPath = lakeLockPath(lakeRoot);
  const current = readAt(lockPath);
  if (current.kind === "absent") throw new NativeError("LOCK_NOT_HELD", `the lake ${path.resolve(lakeRoot)} is not locked`, { id });
  if (current.kind === "garbled") {
    if (id !== "garbled") throw new NativeError("LOCK_NOT_HELD", `the lake lock ${lockPath} is not a valid cpgc lock; remove it with \`cpgc force-unlock garbled\``, { id });
    if (!removeStale(lockPath, current, randomUUID())) throw new NativeError("LOCK_NOT_HELD", `the lake lock ${lockPath} changed meanwhile; look again`, { id });
    return { id: "garbled", owner: "?", pid: 0, host: "?", created_at: "", expires_at: "", plan_id: null };
  }
  if (current.info.id !== id) {
    throw new NativeError("LOCK_NOT_HELD", `the lake lock has id ${current.info.id}, not ${id} (held by ${current.info.owner}, pid ${current.info.pid} on ${current.info.host}); nothing was removed`, {
      id,
      actual: current.info.id,
    });
  }
  if (!removeStale(lockPath, current, randomUUID())) throw new NativeError("LOCK_NOT_HELD", `the lake lock ${lockPath} changed meanwhile (renewed or replaced); look again`, { id });
  return current.info;
}
