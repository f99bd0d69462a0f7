const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Bytes of a size written as a number or a string like `64MiB`; undefined when it is not a size. */
export function parseSize(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] || "b").toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

const DURATION_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

/** Seconds of a duration like `30 days`; undefined when it is not one. */
export function parseDuration(v: string): number | undefined {
  const m = /^\s*(\d+)\s*(second|minute|hour|day|week)s?\s*$/i.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_SECONDS[m[2]!.toLowerCase()]!;
}

/** Delta's interval spelling of a duration, e.g. `interval 30 days`. */
export function deltaInterval(seconds: number): string {
  for (const [unit, s] of [["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]] as const) {
    if (seconds % s === 0) return `interval ${seconds / s} ${unit}s`;
  }
  return `interval ${seconds} seconds`;
}
