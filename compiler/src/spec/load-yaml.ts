import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from "yaml";
import jsyaml from "js-yaml";
import { diagnostic, SourceText, type Diagnostic, type Location } from "../diagnostics/index.js";
import { fileLocator, treeLocator, type DocumentLocator, type PathWalk, type RawDocument, type SpecPath } from "./raw-document.js";

export interface LoadedYaml {
  readonly documents: RawDocument[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses a (multi-document) YAML file. The fast path reads values with js-yaml (YAML 1.2 core
 * schema) and builds positions lazily: only a document that gets a diagnostic is parsed again by
 * the `yaml` library, whose syntax tree locates every key and value (editors use the same library,
 * so positions agree). Text js-yaml rejects goes through `yaml` alone, for its located errors.
 */
export function loadYaml(source: SourceText): LoadedYaml {
  let values: unknown[];
  try {
    values = jsyaml.loadAll(source.text, undefined, { schema: jsyaml.CORE_SCHEMA, filename: source.file });
  } catch {
    return loadYamlStrict(source);
  }
  let parsed: Document[] | undefined;
  const lazyDoc = (index: number): Document | undefined => {
    parsed ??= parseAllDocuments(source.text, PARSE_OPTIONS);
    // Both parsers count documents the same way; if they ever disagree, fall back to the file.
    return parsed.length === values.length ? parsed[index] : undefined;
  };
  let segments: DocumentLines[] | null | undefined;
  const keyLine = (index: number, value: unknown, key: string): number | undefined => {
    segments ??= documentLines(source.text);
    const lines = segments !== null && segments.length === values.length ? segments[index] : undefined;
    return lines === undefined ? undefined : topLevelKeyLine(source.text, lines, value, key);
  };
  const documents: RawDocument[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return; // empty document, e.g. a trailing `---`
    const locator = lazyLocator(() => lazyDoc(index), source);
    documents.push({ file: source.file, index, value, locator: { ...locator, topLevelKeyLine: (key) => keyLine(index, value, key) } });
  });
  return { documents, diagnostics: [] };
}

/** The lines of one document of a stream: [first, end) as 0-based line numbers, with their offsets. */
interface DocumentLines {
  readonly starts: readonly number[];
  readonly first: number;
  readonly end: number;
}

/**
 * The documents of a YAML stream by lines, split at `---` markers, as js-yaml counts them
 * (content before the first marker is a document; a marker followed by nothing is an empty
 * one); null when the stream has what this simple split does not handle (document end markers,
 * content on a marker line, directives).
 */
function documentLines(text: string): DocumentLines[] | null {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const lineAt = (n: number): string => text.slice(starts[n] ?? text.length, (starts[n + 1] ?? text.length + 1) - 1);
  const out: DocumentLines[] = [];
  let first = 0;
  let content = false;
  let marker = false;
  for (let n = 0; n < starts.length; n++) {
    const line = lineAt(n).replace(/\r$/, "");
    if (/^\.\.\.(\s|$)/.test(line) || line.startsWith("%")) return null;
    if (/^---(\s|$)/.test(line)) {
      if (!/^---\s*(#.*)?$/.test(line)) return null;
      if (content || marker) out.push({ starts, first, end: n });
      first = n + 1;
      content = false;
      marker = true;
      continue;
    }
    if (line.trim() !== "" && !line.trimStart().startsWith("#")) content = true;
  }
  if (content || marker) out.push({ starts, first, end: starts.length });
  return out;
}

/**
 * The line of the block-mapping key `key` at column 0 of a document, when exactly one line of
 * the document starts with it and the value written there is the document's (a plain or
 * quoted scalar) — else undefined.
 */
function topLevelKeyLine(text: string, doc: DocumentLines, value: unknown, key: string): number | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const expected = (value as Record<string, unknown>)[key];
  if (typeof expected !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return undefined;
  const pattern = new RegExp(`^${key}[ \\t]*:(?:[ \\t]+(.*))?$`);
  let found: number | undefined;
  for (let n = doc.first; n < doc.end; n++) {
    const start = doc.starts[n] ?? text.length;
    const end = (doc.starts[n + 1] ?? text.length + 1) - 1;
    const line = text.slice(start, end).replace(/\r$/, "");
    if (!line.startsWith(key)) continue;
    const m = pattern.exec(line);
    if (m === null) continue;
    if (found !== undefined) return undefined;
    const written = (m[1] ?? "").replace(/\s+#.*$/, "").trim();
    const unquoted = /^(['"])(.*)\1$/.exec(written)?.[2] ?? written;
    if (unquoted !== expected) return undefined;
    found = n + 1;
  }
  return found;
}

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

/** The slow, exact path: the `yaml` library's parse, with every syntax error located. */
export function loadYamlStrict(source: SourceText): LoadedYaml {
  const documents: RawDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const docs = parseAllDocuments(source.text, PARSE_OPTIONS);
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const code = e.code === "DUPLICATE_KEY" ? "CPG0007" : "CPG0001";
        diagnostics.push(
          diagnostic(code, yamlMessage(e.message), {
            location: { file: source.file, range: source.range(e.pos[0], e.pos[1]) },
            hints: [e.code === "DUPLICATE_KEY" ? "each key may appear once in a mapping" : undefined],
          }),
        );
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      const r = doc.contents?.range;
      diagnostics.push(
        diagnostic("CPG0001", `cannot read YAML document: ${(err as Error).message}`, {
          location: { file: source.file, ...(r ? { range: source.range(r[0], r[0] + 1) } : {}) },
        }),
      );
      return;
    }
    if (value === null || value === undefined) return; // empty document
    documents.push({ file: source.file, index, value, locator: yamlLocator(doc, source) });
  });
  return { documents, diagnostics };
}

/** A locator that parses its document with `yaml` on first use. */
function lazyLocator(doc: () => Document | undefined, source: SourceText): DocumentLocator {
  let inner: DocumentLocator | undefined;
  const get = (): DocumentLocator => {
    if (inner) return inner;
    const d = doc();
    inner = d ? yamlLocator(d, source) : fileLocator(source.file);
    return inner;
  };
  return {
    value: (path) => get().value(path),
    key: (path) => get().key(path),
    inString: (path, start, length) => get().inString(path, start, length),
  };
}

function yamlMessage(message: string): string {
  // The yaml library appends "at line X, column Y" to some messages; our location says that already.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim();
}

function yamlLocator(doc: Document, source: SourceText): DocumentLocator {
  const where = (node: YamlNode | null | undefined): Location => {
    const r = node?.range ?? doc.contents?.range;
    return r ? { file: source.file, range: source.range(r[0], r[1]) } : { file: source.file };
  };
  const walk = (path: SpecPath): PathWalk<YamlNode | null | undefined> => {
    let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
    let key: YamlNode | null | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return { node, key, complete: false };
        key = pair.key as YamlNode;
        node = (pair.value ?? pair.key) as YamlNode;
      } else if (isSeq(node) && typeof seg === "number" && node.items[seg] !== undefined) {
        node = node.items[seg] as YamlNode;
        key = node;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  };
  return treeLocator(walk, where, (node, start, length) => {
    if (!isScalar(node) || !node.range) return undefined;
    const [from, to] = [start, start + Math.max(1, length)].map((o) => scalarOffset(source.text, node.range![0], node.range![1], String(node.type), o)) as [number, number];
    return { file: source.file, range: source.range(from, Math.max(from + 1, to)) };
  });
}

/**
 * Maps an offset within a scalar's value to an offset in the file. Quoted scalars skip their
 * opening quote; block scalars (`|`, `>`) skip the header line and each line's indentation.
 */
export function scalarOffset(text: string, nodeStart: number, nodeEnd: number, type: string, valueOffset: number): number {
  if (type === "QUOTE_DOUBLE" || type === "QUOTE_SINGLE") return Math.min(nodeStart + 1 + valueOffset, nodeEnd);
  if (type !== "BLOCK_LITERAL" && type !== "BLOCK_FOLDED") return Math.min(nodeStart + valueOffset, nodeEnd);
  let pos = text.indexOf("\n", nodeStart);
  if (pos < 0 || pos >= nodeEnd) return nodeStart;
  pos++;
  const indentMatch = /^[ ]*/.exec(text.slice(pos, nodeEnd));
  const indent = indentMatch ? indentMatch[0].length : 0;
  let remaining = valueOffset;
  while (pos < nodeEnd) {
    const eol = text.indexOf("\n", pos);
    const lineEnd = eol < 0 || eol > nodeEnd ? nodeEnd : eol;
    const contentStart = Math.min(pos + indent, lineEnd);
    const len = lineEnd - contentStart;
    if (remaining <= len) return contentStart + remaining;
    remaining -= len + 1;
    pos = lineEnd + 1;
  }
  return nodeEnd;
}
