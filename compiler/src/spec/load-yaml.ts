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
  const documents: RawDocument[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return; // empty document, e.g. a trailing `---`
    documents.push({ file: source.file, index, value, locator: lazyLocator(() => lazyDoc(index), source) });
  });
  return { documents, diagnostics: [] };
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
