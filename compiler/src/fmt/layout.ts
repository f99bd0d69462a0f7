import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { SpecPath } from "../spec/raw-document.js";
import { itemSchemas, orderMap, type Schemas } from "./key-order.js";
import { blockLiteral } from "./sql-block.js";
import { joinLines, splitLines, type TextLines } from "./text-lines.js";

/** Where a node sits: its path in the document and the schemas that may describe it. */
export interface Where {
  readonly path: SpecPath;
  readonly schemas: Schemas;
}

export interface LayoutHooks {
  /** Whether the string scalar at `path` holds a query that fmt pretty-prints. */
  isSql(path: SpecPath): boolean;
  /** The pretty-printed query, or undefined to leave the scalar as written (the hook reports why). */
  formatSql(path: SpecPath, node: Scalar<string>): string | undefined;
}

/**
 * Re-lays out one YAML document by moving source text, never by re-serializing it: every byte of
 * the input survives except where mapping pairs change places and where a query is pretty-printed.
 *
 * A block mapping is cut into one chunk per pair. A chunk is the pair's key line, its value, the
 * deeper-indented comments that follow the value, and — above the key — the comment lines at the
 * key's indentation or shallower that lead up to it (those are the comments "on" the pair, the way a
 * reader sees them), with the blank lines above them. Trailing comments on the key line are part of
 * it. Chunks are then emitted in canonical order; the first position keeps the blank lines it had,
 * so a mapping never starts with a blank line it did not have.
 * Comments above the first pair of a document (headers, the `yaml-language-server` modeline) and
 * comments after the last pair at the mapping's indentation stay where they are.
 *
 * Anything this does not understand (complex keys, anchors on the key line, keys not aligned) is
 * left exactly as written, which is always safe.
 */
export class Layout {
  constructor(
    private readonly t: TextLines,
    private readonly hooks: LayoutHooks,
  ) {}

  /** The new text of lines [a, b), which hold one document whose root is `root`. */
  document(root: Node | null, a: number, b: number, where: Where): string {
    if (isMap(root) && !root.flow) return this.blockMap(root, a, b, where, true);
    return this.region(root, a, b, where);
  }

  /** The new text of lines [a, b), which hold `node` (and comments around it). */
  private region(node: Node | null, a: number, b: number, where: Where): string {
    if (isMap(node) && !node.flow) return this.blockMap(node, a, b, where, false);
    if (isSeq(node) && !node.flow) return this.blockSeq(node, a, b, where);
    if ((isMap(node) || isSeq(node)) && node.range) {
      return this.t.text.slice(this.t.start(a), node.range[0]) + this.flow(node, where) + this.t.text.slice(node.range[1], this.t.start(b));
    }
    return this.t.slice(a, b);
  }

  private blockMap(map: YAMLMap, a: number, b: number, where: Where, root: boolean): string {
    const t = this.t;
    const verbatim = t.slice(a, b);
    const pairs: PairInfo[] = [];
    for (const p of map.items) {
      if (!isPair(p) || !isScalar(p.key) || !p.key.range) return verbatim;
      const keyStart = p.key.range[0];
      const value = (p.value ?? null) as Node | null;
      const line = t.lineOf(keyStart);
      pairs.push({ key: String(p.key.value), value, keyStart, line, column: t.column(keyStart), lastLine: Math.max(line, this.contentEnd(value)) });
    }
    const first = pairs[0];
    const last = pairs[pairs.length - 1];
    if (!first || !last) return verbatim;
    const indent = first.column;
    // The first key may follow a sequence dash on its line (`- name: x`): its "prefix".
    const prefix = t.text.slice(t.start(first.line), first.keyStart);
    const dashed = prefix.trim() !== "";
    if (dashed && (root || first.line !== a || !/^[ -]*$/.test(prefix))) return verbatim;
    if (first.line < a || last.lastLine >= b) return verbatim;
    for (let i = 1; i < pairs.length; i++) {
      const p = pairs[i]!;
      const prev = pairs[i - 1]!;
      if (p.column !== indent || t.text.slice(t.start(p.line), p.keyStart).trim() !== "" || p.line <= prev.lastLine) return verbatim;
    }

    // Chunk boundaries.
    const starts = pairs.map((p, i) => {
      if (i === 0) return dashed ? a : root ? p.line : this.leadingComments(p.line, a, indent);
      return this.leadingComments(p.line, pairs[i - 1]!.lastLine + 1, indent);
    });
    let stop = b;
    for (let l = last.lastLine + 1; l < b; l++) {
      if (!t.isBlank(l) && t.indent(l) <= indent) {
        stop = l;
        break;
      }
    }
    let lastEnd = stop;
    while (lastEnd > last.lastLine + 1 && t.isBlank(lastEnd - 1)) lastEnd--;
    const ends = pairs.map((_, i) => (i + 1 < pairs.length ? starts[i + 1]! : lastEnd));

    const { order, child } = orderMap(where.schemas, pairs.map((p) => p.key));
    const chunks = pairs.map((p, i) => {
      const cw: Where = { path: [...where.path, p.key], schemas: child(p.key) };
      const lines = splitLines(this.pairChunk(p, starts[i]!, ends[i]!, cw));
      let blanks = 0;
      while (blanks < lines.length && (lines[blanks] ?? "").trim() === "") blanks++;
      return { blanks, body: lines.slice(blanks), keyIndex: p.line - starts[i]! - blanks };
    });

    const out: string[] = [t.slice(a, starts[0]!)];
    order.forEach((j, slot) => {
      const chunk = chunks[j]!;
      const body = [...chunk.body];
      if (dashed && slot === 0 && j !== 0) {
        // Comments above the pair go above the dash line; the key takes the dash.
        body[chunk.keyIndex] = prefix + (body[chunk.keyIndex] ?? "").slice(indent);
      } else if (dashed && slot !== 0 && j === 0) {
        body[0] = " ".repeat(indent) + (body[0] ?? "").slice(indent);
      }
      // Blank lines above a pair move with it (a blank-separated group stays a group), except at
      // the top of the mapping, which keeps the spacing it had (and the pair that was first has none
      // of its own to take along).
      const blanks = slot === 0 ? chunks[0]!.blanks : j === 0 ? 0 : chunk.blanks;
      out.push("\n".repeat(blanks) + joinLines(body));
    });
    out.push(t.slice(lastEnd, b));
    return out.join("");
  }

  /** The text of one pair's chunk, lines [a, b), with its value laid out in turn. */
  private pairChunk(p: PairInfo, a: number, b: number, where: Where): string {
    const t = this.t;
    const from = t.start(a);
    const to = t.start(b);
    const v = p.value;
    if (isScalar(v) && typeof v.value === "string" && v.range && this.hooks.isSql(where.path)) {
      const edit = this.sqlEdit(v as Scalar<string>, p.column, where.path);
      return edit ? t.text.slice(from, edit.from) + edit.text + t.text.slice(edit.to, to) : t.text.slice(from, to);
    }
    if ((isMap(v) || isSeq(v)) && v.range) {
      if (v.flow) return t.text.slice(from, v.range[0]) + this.flow(v, where) + t.text.slice(v.range[1], to);
      if (t.lineOf(v.range[0]) <= p.line) return t.text.slice(from, to);
      return t.slice(a, p.line + 1) + this.region(v, p.line + 1, b, where);
    }
    return t.text.slice(from, to);
  }

  private blockSeq(seq: YAMLSeq, a: number, b: number, where: Where): string {
    const t = this.t;
    const verbatim = t.slice(a, b);
    if (!seq.range) return verbatim;
    const dashColumn = t.column(seq.range[0]);
    const dashes: number[] = [];
    for (const item of seq.items) {
      const start = (item as Node | null)?.range?.[0];
      if (start === undefined || isPair(item)) return verbatim;
      const floor = dashes.length > 0 ? dashes[dashes.length - 1]! + 1 : a;
      let l = Math.min(t.lineOf(start), b - 1);
      while (l >= floor && !this.dashAt(l, dashColumn)) l--;
      if (l < floor) return verbatim;
      dashes.push(l);
    }
    const items = seq.items as (Node | null)[];
    const out: string[] = [t.slice(a, dashes[0] ?? b)];
    const schemas = itemSchemas(where.schemas);
    items.forEach((item, k) => {
      const s = dashes[k]!;
      const e = k + 1 < dashes.length ? dashes[k + 1]! : b;
      const iw: Where = { path: [...where.path, k], schemas };
      if ((isMap(item) || isSeq(item)) && !item.flow && item.range) {
        const firstLine = t.lineOf(item.range[0]);
        if (firstLine === s) out.push(this.region(item, s, e, iw));
        else if (firstLine > s && firstLine < e) out.push(t.slice(s, s + 1) + this.region(item, s + 1, e, iw));
        else out.push(t.slice(s, e));
      } else out.push(this.region(item, s, e, iw));
    });
    return out.join("");
  }

  /** The new text of a flow collection (`{ ... }` / `[ ... ]`), replacing source [range[0], range[1]). */
  private flow(node: YAMLMap | YAMLSeq, where: Where): string {
    const text = this.t.text;
    const [s, e] = node.range ?? [0, 0];
    const verbatim = text.slice(s, e);
    if (isSeq(node)) {
      let out = "";
      let pos = s;
      const schemas = itemSchemas(where.schemas);
      (node.items as (Node | null)[]).forEach((item, k) => {
        if ((isMap(item) || isSeq(item)) && item.flow && item.range) {
          out += text.slice(pos, item.range[0]) + this.flow(item, { path: [...where.path, k], schemas });
          pos = item.range[1];
        }
      });
      return out + text.slice(pos, e);
    }
    const slots: { key: string; start: number; end: number; value: Node | null }[] = [];
    for (const p of node.items) {
      if (!isPair(p) || !isScalar(p.key) || !p.key.range) return verbatim;
      const start = p.key.range[0];
      const value = (p.value ?? null) as Node | null;
      let end = p.key.range[1];
      if (value?.range && value.range[1] > value.range[0]) end = value.range[1];
      else if (value) {
        // `{ key: }`: keep the colon with the key.
        const colon = text.indexOf(":", p.key.range[1]);
        if (colon >= 0 && colon < e && text.slice(p.key.range[1], colon).trim() === "") end = colon + 1;
      }
      slots.push({ key: String(p.key.value), start, end, value });
    }
    // Gaps hold the brackets, commas and spaces; a comment in one means the layout is the author's.
    const gaps: string[] = [];
    let pos = s;
    for (const slot of slots) {
      if (slot.start < pos) return verbatim;
      gaps.push(text.slice(pos, slot.start));
      pos = slot.end;
    }
    gaps.push(text.slice(pos, e));
    if (gaps.some((g) => g.includes("#"))) return verbatim;
    const { order, child } = orderMap(where.schemas, slots.map((x) => x.key));
    const rendered = slots.map(({ key, start, end, value: v }) => {
      if ((isMap(v) || isSeq(v)) && v.flow && v.range) {
        return text.slice(start, v.range[0]) + this.flow(v, { path: [...where.path, key], schemas: child(key) }) + text.slice(v.range[1], end);
      }
      return text.slice(start, end);
    });
    let out = gaps[0] ?? "";
    order.forEach((j, slot) => {
      out += (rendered[j] ?? "") + (gaps[slot + 1] ?? "");
    });
    return out;
  }

  /** The replacement of a query scalar by a block literal, as a source range and its new text. */
  private sqlEdit(v: Scalar<string>, keyColumn: number, path: SpecPath): { from: number; to: number; text: string } | undefined {
    const t = this.t;
    const [from, valueEnd] = v.range ?? [0, 0];
    const isBlock = v.type === "BLOCK_LITERAL" || v.type === "BLOCK_FOLDED";
    let to: number;
    let comment: string | undefined;
    if (isBlock) {
      const headerEnd = t.text.indexOf("\n", from);
      comment = /\s(#.*)$/.exec(t.text.slice(from, headerEnd < 0 ? valueEnd : headerEnd))?.[1]?.trim();
      to = valueEnd;
      if (to !== t.start(t.lineOf(to)) && to !== t.text.length) return undefined;
    } else {
      const eol = t.text.indexOf("\n", valueEnd);
      const rest = t.text.slice(valueEnd, eol < 0 ? t.text.length : eol);
      if (!/^\s*(#.*)?$/.test(rest)) return undefined;
      comment = rest.trim() || undefined;
      to = eol < 0 ? t.text.length : eol + 1;
    }
    const sql = this.hooks.formatSql(path, v);
    if (sql === undefined) return undefined;
    return { from, to, text: blockLiteral(sql, keyColumn, comment) };
  }

  /** Where a pair's chunk starts: above its key, the run of blank lines and comments no deeper than the key. */
  private leadingComments(keyLine: number, floor: number, indent: number): number {
    const t = this.t;
    let s = keyLine;
    while (s - 1 >= floor && (t.isBlank(s - 1) || (t.isComment(s - 1) && t.indent(s - 1) <= indent))) s--;
    return s;
  }

  /** Whether line `l` has a sequence dash at `column` (after spaces or other dashes, as in `- - x`). */
  private dashAt(l: number, column: number): boolean {
    const line = this.t.line(l);
    if (line[column] !== "-" || !/^[ -]*$/.test(line.slice(0, column))) return false;
    const next = line[column + 1];
    return next === undefined || next === " " || next === "\t";
  }

  /** The last line that holds any of `node`'s content, or -1 for an empty (null) node. */
  private contentEnd(node: Node | null): number {
    if (!node?.range) return -1;
    if (isScalar(node) || isAlias(node)) return node.range[1] > node.range[0] ? this.t.lineOf(node.range[1] - 1) : -1;
    if ((isMap(node) || isSeq(node)) && !node.flow) {
      const lastItem = node.items[node.items.length - 1] as unknown;
      let end = -1;
      if (isPair(lastItem)) {
        const k = lastItem.key as Node | null;
        end = Math.max(k?.range ? this.t.lineOf(k.range[0]) : -1, this.contentEnd((lastItem.value ?? null) as Node | null));
      } else end = this.contentEnd((lastItem ?? null) as Node | null);
      // An empty last item (`-` alone): its dash ends the collection.
      return end >= 0 ? end : this.t.lineOf(Math.max(node.range[0], node.range[1] - 1));
    }
    return this.t.lineOf(Math.max(node.range[0], node.range[1] - 1));
  }
}

interface PairInfo {
  readonly key: string;
  readonly value: Node | null;
  readonly keyStart: number;
  readonly line: number;
  readonly column: number;
  /** Last line of the pair's content (key line or the end of its value). */
  readonly lastLine: number;
}
