import { existsSync } from "node:fs";
import { register } from "node:module";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type ts from "typescript";
import { diagnostic, type Diagnostic, type Location, type SourceText } from "../diagnostics/index.js";
import { fileLocator, treeLocator, type DocumentLocator, type PathWalk, type RawDocument, type SpecPath } from "./raw-document.js";
import { SPEC_KINDS } from "./schema/index.js";

type TS = typeof ts;

const DEFINE_FUNCTIONS: Record<string, string> = { defineDataset: "Dataset", defineView: "View", definePolicy: "DeltaPolicy" };

let hooksRegistered = false;

/** Lets plain node import `.ts` files; under a TypeScript-aware runner (vitest) nothing is needed. */
function ensureHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  const hooks = new URL("./ts-hooks.js", import.meta.url);
  if (existsSync(fileURLToPath(hooks))) register(hooks.href);
}

interface StaticSpec {
  readonly kind: string;
  readonly name: string | undefined;
  readonly node: ts.ObjectLiteralExpression;
}

/**
 * Loads a `*.cpg.ts` file: its syntax is checked and its define* calls are located statically
 * (for diagnostics with positions), then the module is evaluated and its exported specs collected.
 */
export async function loadTsSpecs(source: SourceText, absPath: string): Promise<{ documents: RawDocument[]; diagnostics: Diagnostic[] }> {
  // TypeScript is large (~9 MB); only projects with .cpg.ts files pay for loading it.
  const ts = (await import("typescript")).default;
  const syntax = ts.transpileModule(source.text, { fileName: absPath, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
  const syntaxErrors = (syntax.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxErrors.length > 0) {
    return {
      documents: [],
      diagnostics: syntaxErrors.map((d) =>
        diagnostic("CPG0005", ts.flattenDiagnosticMessageText(d.messageText, "\n"), {
          location: { file: source.file, ...(d.start !== undefined ? { range: source.range(d.start, d.start + (d.length ?? 1)) } : {}) },
        }),
      ),
    };
  }
  const sf = ts.createSourceFile(absPath, source.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const statics = findDefineCalls(ts, sf);

  let mod: Record<string, unknown>;
  try {
    ensureHooks();
    const url = pathToFileURL(isAbsolute(absPath) ? absPath : resolvePath(absPath)).href;
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error;
    return {
      documents: [],
      diagnostics: [
        diagnostic("CPG0005", `cannot evaluate TypeScript spec: ${e?.message ?? String(e)}`, {
          location: { file: source.file, ...throwSite(e, absPath, source) },
        }),
      ],
    };
  }

  const values = collectSpecs(mod);
  const used = new Set<StaticSpec>();
  const documents = values.map((value, index): RawDocument => {
    const v = value as { kind?: unknown; name?: unknown };
    const match = statics.find((s) => !used.has(s) && s.kind === v.kind && s.name === v.name);
    if (match) used.add(match);
    return { file: source.file, index, value, locator: match ? objectLocator(ts, match.node, sf, source) : fileLocator(source.file) };
  });
  const diagnostics =
    documents.length === 0
      ? [
          diagnostic("CPG0006", "TypeScript spec file exports no specs", {
            severity: "warning",
            location: { file: source.file },
            hints: ["export the results of defineDataset, defineView or definePolicy (named exports, or a default export of one or a list)"],
          }),
        ]
      : [];
  return { documents, diagnostics };
}

/** Where in the spec file an error was thrown, from the stack trace (the transpiler keeps lines). */
function throwSite(e: Error, absPath: string, source: SourceText): { range?: ReturnType<SourceText["range"]> } {
  const stack = typeof e?.stack === "string" ? e.stack : "";
  const file = absPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${file}:(\\d+):(\\d+)`).exec(stack);
  if (!m) return {};
  const line = Number(m[1]);
  const column = Number(m[2]);
  if (line < 1 || line > source.lineCount) return {};
  const start = source.offsetOf(line, column);
  return { range: source.range(start, Math.min(start + 1, source.text.length)) };
}

function collectSpecs(mod: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object" && typeof (v as { kind?: unknown }).kind === "string" && (v as { kind: string }).kind in SPEC_KINDS) {
      if (!out.includes(v)) out.push(v);
    }
  };
  for (const key of Object.keys(mod).sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : 0))) visit(mod[key]);
  return out;
}

function findDefineCalls(ts: TS, sf: ts.SourceFile): StaticSpec[] {
  const found: StaticSpec[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text in DEFINE_FUNCTIONS) {
      const arg = node.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) {
        const nameProp = arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propName(ts, p.name) === "name");
        const name = nameProp && ts.isStringLiteralLike(nameProp.initializer) ? nameProp.initializer.text : undefined;
        found.push({ kind: DEFINE_FUNCTIONS[node.expression.text]!, name, node: arg });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function propName(ts: TS, n: ts.PropertyName): string | undefined {
  return ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) ? n.text : undefined;
}

function objectLocator(ts: TS, root: ts.ObjectLiteralExpression, sf: ts.SourceFile, source: SourceText): DocumentLocator {
  const where = (n: ts.Node): Location => ({ file: source.file, range: source.range(n.getStart(sf), n.end) });
  const walk = (path: SpecPath): PathWalk<ts.Node> => {
    let node: ts.Node = root;
    let key: ts.Node | undefined;
    for (const seg of path) {
      const inner: ts.Node = ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ? node.expression : node;
      if (ts.isObjectLiteralExpression(inner)) {
        const prop = inner.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && propName(ts, p.name) === String(seg));
        if (!prop) return { node, key, complete: false };
        key = prop.name;
        node = ts.isPropertyAssignment(prop) ? prop.initializer : prop;
      } else if (ts.isArrayLiteralExpression(inner) && typeof seg === "number" && inner.elements[seg]) {
        node = inner.elements[seg]!;
        key = node;
      } else return { node, key, complete: false };
    }
    return { node, key, complete: true };
  };
  return treeLocator(walk, where, (node, start, length) => {
    if (!ts.isStringLiteralLike(node)) return undefined;
    const from = node.getStart(sf) + 1 + start;
    return { file: source.file, range: source.range(from, from + Math.max(1, length)) };
  });
}
