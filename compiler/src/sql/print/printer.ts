import type { Identifier, QualifiedName } from "../ast/identifiers.js";
import type { Node, NodeKind, NodeOfKind } from "../ast/nodes.js";
import { sqlDiagnostic, type SqlDiagnostic } from "../diagnostics.js";
import type { DialectSpec, Feature } from "./dialects.js";
import { canBeBare, quoteIdentifier, quoteString, type NamePosition } from "./quote.js";

/** One printing function per kind; typed over every kind, so a new kind must be printable. */
export type PrintTable = { readonly [K in NodeKind]: (node: NodeOfKind<K>, p: Printer) => string };

/** A PrintTable keyed by kind in a Map: one lookup per printed node, faster than a property of a 70-key object. */
export type PrintMap = ReadonlyMap<string, (node: Node, p: Printer) => string>;

export function printMap(table: PrintTable): PrintMap {
  return new Map(Object.entries(table) as [string, (node: Node, p: Printer) => string][]);
}

export interface PrintResult {
  readonly sql: string;
  /** Constructs the dialect cannot express (CPG1010); the text is then a best effort. */
  readonly diagnostics: readonly SqlDiagnostic[];
}

/**
 * Prints one tree in one dialect: compact, canonical SQL (upper-case keywords, names quoted only
 * where needed or where they were quoted). Holds the dialect and the diagnostics of one run.
 */
export class Printer {
  readonly diagnostics: SqlDiagnostic[] = [];

  constructor(
    readonly d: DialectSpec,
    /** The print table as a map (see printTable). */
    private readonly table: PrintMap,
  ) {}

  print(node: Node): string {
    return this.table.get(node.kind)!(node, this);
  }

  list(nodes: readonly Node[], sep = ", "): string {
    if (nodes.length === 1) return this.print(nodes[0]!);
    let out = "";
    for (let i = 0; i < nodes.length; i++) out += i === 0 ? this.print(nodes[i]!) : sep + this.print(nodes[i]!);
    return out;
  }

  ident(id: Identifier, position: NamePosition): string {
    return !id.quoted && canBeBare(id.name, position) ? id.name : quoteIdentifier(id.name, this.d);
  }

  /** A dotted name whose first part stands in `first` position (the rest are labels). */
  path(parts: QualifiedName, first: NamePosition = "colId"): string {
    let out = parts.length > 0 ? this.ident(parts[0]!, first) : "";
    for (let i = 1; i < parts.length; i++) out += "." + this.ident(parts[i]!, "label");
    return out;
  }

  string(value: string): string {
    return quoteString(value, this.d);
  }

  supports(feature: Feature): boolean {
    return this.d.supports.has(feature);
  }

  /** Reports a construct the dialect cannot express. */
  unsupported(node: Node, what: string, hint?: string): void {
    this.diagnostics.push(sqlDiagnostic("CPG1010", `${this.d.name} cannot express ${what}`, node.range.start >= 0 ? node.range : { start: 0, end: 0 }, [hint]));
  }

  /** Prints `node`, or reports it when `feature` is missing (and still prints it). */
  need(feature: Feature, node: Node, what: string, hint?: string): void {
    if (!this.supports(feature)) this.unsupported(node, what, hint);
  }
}
