import { diagnostic, type Diagnostic, type Location } from "../diagnostics/index.js";
import { BUILTIN_POLICY, DEFAULT_BLOOM_FPP, type EffectivePolicy, type PolicyLayer } from "./effective-policy.js";
import type { SpecPath } from "./raw-document.js";
import type { DeltaFeature, PolicyBody } from "./schema/index.js";
import { parseDuration, parseSize } from "./units.js";

/** The effective policy of one table plus, per setting, the layer that decided it. */
export interface ResolvedPolicy {
  readonly policy: EffectivePolicy;
  /** Dotted setting path (e.g. `write.zorder_by`) → the layer that set it. */
  readonly origins: ReadonlyMap<string, PolicyLayer>;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Merges layers lowest precedence first. Mappings merge key by key; lists and scalars are replaced
 * whole by the nearest layer that sets them (so `features: []` in a layer clears inherited ones).
 */
export function mergeLayers(layers: readonly PolicyLayer[]): { merged: Plain; origins: Map<string, PolicyLayer> } {
  const merged: Plain = {};
  const origins = new Map<string, PolicyLayer>();
  const mergeInto = (target: Plain, src: Plain, prefix: string, layer: PolicyLayer) => {
    for (const [k, v] of Object.entries(src)) {
      if (v === undefined) continue;
      const path = prefix ? `${prefix}.${k}` : k;
      if (isPlain(v)) {
        const child = isPlain(target[k]) ? (target[k] as Plain) : {};
        target[k] = child;
        mergeInto(child, v, path, layer);
      } else {
        target[k] = Array.isArray(v) ? [...v] : v;
        origins.set(path, layer);
      }
    }
  };
  for (const layer of [{ label: "built-in defaults", body: BUILTIN_POLICY } satisfies PolicyLayer, ...layers]) {
    mergeInto(merged, layer.body as Plain, "", layer);
  }
  return { merged, origins };
}

/** Resolves layers into an effective policy, checking the settings that only conflict once combined. */
export function resolvePolicy(layers: readonly PolicyLayer[]): { resolved: ResolvedPolicy; diagnostics: Diagnostic[] } {
  const { merged, origins } = mergeLayers(layers);
  const m = merged as Required<PolicyBody> & Plain;
  const w = m.write ?? {};
  const writer = w.writer ?? {};
  const diagnostics: Diagnostic[] = [];
  const at = (path: string): Location | undefined => {
    const layer = origins.get(path);
    return layer?.locate?.(path.split(".") as SpecPath);
  };

  const compression = writer.compression ?? "zstd";
  const level = writer.compression_level ?? null;
  const levelRange = COMPRESSION_LEVELS[compression];
  if (level !== null && !levelRange) {
    diagnostics.push(
      diagnostic("CPG0340", `compression ${compression} takes no compression_level`, {
        location: at("write.writer.compression_level"),
        hints: ["remove compression_level, or choose zstd, gzip or brotli"],
      }),
    );
  } else if (level !== null && levelRange && (level < levelRange[0] || level > levelRange[1])) {
    diagnostics.push(
      diagnostic("CPG0340", `compression_level ${level} is out of range for ${compression} (${levelRange[0]}..${levelRange[1]})`, {
        location: at("write.writer.compression_level"),
      }),
    );
  }

  const partitionBy = w.partition_by ?? [];
  for (const c of w.zorder_by ?? []) {
    if (partitionBy.includes(c)) {
      diagnostics.push(
        diagnostic("CPG0340", `column '${c}' is both a partition column and a z-order column`, {
          location: at("write.zorder_by"),
          hints: ["within one partition the value is constant, so z-ordering by it does nothing; remove it from zorder_by"],
        }),
      );
    }
  }

  const features = [...new Set(m.features ?? [])].sort() as DeltaFeature[];
  const columnMapping = m.schema?.column_mapping ?? "none";
  if (columnMapping === "name" && !features.includes("columnMapping")) {
    diagnostics.push(
      diagnostic("CPG0340", "column_mapping: name needs the columnMapping table feature", {
        location: at("schema.column_mapping"),
        hints: ["add columnMapping to features (table features are opted into explicitly)"],
      }),
    );
  }

  const policy: EffectivePolicy = {
    write: {
      partition_by: partitionBy,
      zorder_by: w.zorder_by ?? [],
      target_file_size_bytes: parseSize(w.target_file_size ?? "128MiB") ?? 0,
      stats_policy: w.stats_policy ?? "auto",
      stats_columns: w.stats_columns ?? [],
      stats_max_columns: w.stats_max_columns ?? 32,
      writer: {
        compression,
        compression_level: level,
        row_group_size: writer.row_group_size ?? 122880,
        dictionary: writer.dictionary ?? [],
        bloom_filter: (writer.bloom_filter ?? []).map((b) => ({ column: b.column, fpp: b.fpp ?? DEFAULT_BLOOM_FPP, ndv: b.ndv ?? null })),
      },
    },
    schema: { mode: m.schema?.mode ?? "merge", column_mapping: columnMapping },
    features,
    maintenance: {
      checkpoint_interval: m.maintenance?.checkpoint_interval ?? 10,
      log_retention_seconds: parseDuration(m.maintenance?.log_retention ?? "30 days") ?? 0,
      vacuum_retention_seconds: parseDuration(m.maintenance?.vacuum_retention ?? "7 days") ?? 0,
    },
  };
  return { resolved: { policy, origins }, diagnostics };
}

const COMPRESSION_LEVELS: Record<string, readonly [number, number] | undefined> = {
  zstd: [1, 22],
  gzip: [0, 9],
  brotli: [0, 11],
};
