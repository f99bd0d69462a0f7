/** Parses `-var name=value` flags. Values that read as numbers or booleans are typed, as in YAML. */
export function parseVarFlags(flags: readonly string[]): { ok: true; variables: Record<string, string | number | boolean> } | { ok: false; error: string } {
  const variables: Record<string, string | number | boolean> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const name = eq > 0 ? flag.slice(0, eq) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, error: `invalid -var '${flag}': expected NAME=VALUE` };
    const raw = flag.slice(eq + 1);
    variables[name] = raw === "true" ? true : raw === "false" ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return { ok: true, variables };
}
