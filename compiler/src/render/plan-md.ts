/**
 * Escaping for the markdown plan (a PR comment renders whatever a table name or a message holds,
 * and orphan names come from directory names nobody validated). One helper per context, because
 * what is safe differs: HTML text, inline markdown, code spans, table cells, fenced blocks.
 */

const HTML: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Text inside an HTML element (`<summary>`): no tag or entity survives. */
export const html = (s: string): string => s.replace(/[&<>]/g, (c) => HTML[c]!);

/**
 * Inline markdown text: HTML escaped, inline markup (emphasis, code, links, tables, strikethrough)
 * backslash-escaped, and a leading block marker (`#`, `-`, `+`, `=`, `1.`) defused, since the text
 * may follow a list marker where it would open a heading or a nested list.
 */
export function mdText(s: string): string {
  const t = html(s).replace(/[\\`*_[\]|~]/g, "\\$&");
  return t.replace(/^[-+#=]/, "\\$&").replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A code span whose delimiter is longer than any backtick run inside (CommonMark). */
export function mdCode(s: string): string {
  // "``" is no code span (and could pair with a later run); a lone space is one.
  if (s === "") return "` `";
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A GFM table cell: `|` splits cells even inside code spans unless escaped. */
export const cell = (s: string): string => s.replace(/\|/g, "\\|");

/** A fenced block whose fence is longer than any backtick run inside, so no line can close it. */
export function fenced(info: string, lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((r) => r.length)));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence];
}

const MERMAID: Readonly<Record<string, string>> = { "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;" };

/** Text inside a quoted Mermaid label: Mermaid's `#…;` entities for what would end or mark it up. */
export const mermaidText = (s: string): string => s.replace(/[#"<>&`]/g, (c) => MERMAID[c]!);
