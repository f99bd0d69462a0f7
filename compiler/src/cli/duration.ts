const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration as terraform's `-lock-timeout` takes it: `0`, `500ms`, `30s`, `2m`, `1h`,
 * or a sum such as `1m30s`. A bare number is seconds. Returns milliseconds, or null when invalid.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (t === "" || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, , unit] of t.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) ms += Number(n) * UNITS[unit!]!;
  return Math.round(ms);
}
