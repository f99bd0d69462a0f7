/** How the CLI talks about the lake lock: who holds it and how to get it back. */

/** The fields of a lease the messages show (the lock file's record, or a LOCK_HELD error's details). */
export interface LockInfo {
  readonly id: string;
  readonly owner?: string | null;
  readonly pid?: number | null;
  readonly host?: string | null;
  readonly acquired_at?: string | null;
  readonly expires_at?: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);

/** Reads a lease from whatever carries it (the lock file's record, an error's details); null when it has no id. */
export function asLockInfo(value: unknown): LockInfo | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const nested = v["lock"] ?? v["lease"] ?? v["holder"];
  if (typeof nested === "object" && nested !== null) return asLockInfo(nested);
  const id = str(v["id"] ?? v["lock_id"] ?? v["lease_id"]);
  if (id === null) return null;
  const pid = typeof v["pid"] === "string" && /^\d+$/.test(v["pid"]) ? Number(v["pid"]) : v["pid"];
  return {
    id,
    owner: str(v["owner"]),
    pid: typeof pid === "number" ? pid : null,
    host: str(v["host"] ?? v["hostname"]),
    acquired_at: str(v["acquired_at"] ?? v["created_at"] ?? v["createdAt"]),
    expires_at: str(v["expires_at"] ?? v["expiresAt"]),
  };
}

/** The lock's facts, one per line, indented. */
export function lockLines(lock: LockInfo, indent = "  "): string[] {
  const rows: [string, string | null | undefined][] = [
    ["ID", lock.id],
    ["owner", lock.owner],
    ["process", lock.pid != null || lock.host ? `pid ${lock.pid ?? "?"} on ${lock.host ?? "?"}` : null],
    ["acquired", lock.acquired_at],
    ["expires", lock.expires_at],
  ];
  return rows.filter(([, v]) => v != null && v !== "").map(([k, v]) => `${indent}${`${k}:`.padEnd(10)}${v}`);
}

/**
 * The message for an apply that found the lake locked: who holds the lock and the ways out. The
 * lease comes from the error's details, or from the lock file when the error does not carry it.
 */
export function lockHeldMessage(error: unknown, lakeRoot: string, timeoutMs: number, readLock: (lakeRoot: string) => unknown): string {
  const e = error as { details?: unknown; message?: unknown };
  let lock = asLockInfo(e.details);
  if (!lock) {
    try {
      lock = asLockInfo(readLock(lakeRoot));
    } catch {
      lock = null;
    }
  }
  const waited = timeoutMs > 0 ? ` (waited ${timeoutMs >= 1000 ? `${timeoutMs / 1000}s` : `${timeoutMs} ms`})` : "";
  return [
    `error[LOCK_HELD]: the lake at ${lakeRoot} is locked by another cpgc run${waited}`,
    ...(lock ? lockLines(lock) : typeof e.message === "string" ? [`  ${e.message}`] : []),
    `  = hint: wait for that run to finish, or retry with --lock-timeout 2m to wait for it`,
    `  = hint: if that run is dead, its lease expires by itself; to remove it now: cpgc force-unlock ${lock?.id ?? "ID"}`,
  ].join("\n");
}
