import { diagnostic, type Diagnostic, type Location } from "../diagnostics/index.js";
import type { Column } from "../types/index.js";
import { resolvePath } from "../types/paths.js";
import { checkColumnRef } from "./check-dataset.js";
import type { ResolvedPolicy } from "./resolve-policy.js";

/** The column lists of a policy, by their setting path. */
const COLUMN_LISTS = ["write.partition_by", "write.zorder_by", "write.stats_columns", "write.writer.dictionary"] as const;

/**
 * Checks every column a table's effective policy names against the table's schema. Each error
 * points at the layer that wrote the setting (the table itself, a policy, or config defaults).
 */
export function checkPolicyColumns(resolved: ResolvedPolicy, columns: readonly Column[], owner: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const locate = (setting: string, index: number, leaf?: string) => (): Location => {
    const layer = resolved.origins.get(setting);
    const path = [...setting.split("."), index, ...(leaf ? [leaf] : [])];
    return layer?.locate?.(path) ?? { file: "" };
  };
  const p = resolved.policy;
  const lists: Record<(typeof COLUMN_LISTS)[number], readonly string[]> = {
    "write.partition_by": p.write.partition_by,
    "write.zorder_by": p.write.zorder_by,
    "write.stats_columns": p.write.stats_columns,
    "write.writer.dictionary": p.write.writer.dictionary,
  };
  for (const setting of COLUMN_LISTS) {
    lists[setting].forEach((ref, i) => {
      const d = checkColumnRef(columns, ref, locate(setting, i), owner);
      if (d) out.push(d);
    });
  }
  p.write.writer.bloom_filter.forEach((b, i) => {
    const d = checkColumnRef(columns, b.column, locate("write.writer.bloom_filter", i, "column"), owner);
    if (d) out.push(d);
  });
  p.write.partition_by.forEach((ref, i) => {
    const r = resolvePath(columns, ref);
    if (!r.ok) return;
    if (r.segments.length > 1 || r.type.kind === "struct" || r.type.kind === "list" || r.type.kind === "map") {
      out.push(
        diagnostic("CPG0302", `cannot partition ${owner} by '${ref}': partition columns must be top-level columns of a primitive type`, {
          location: locate("write.partition_by", i)(),
        }),
      );
    }
  });
  return out;
}
