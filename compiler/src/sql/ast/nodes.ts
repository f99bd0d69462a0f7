/**
 * The unions over every AST node. `Node["kind"]` is the list of kinds that the exhaustive tables
 * (children, transformer, printers) are typed over: adding a node kind here does not compile
 * until each of them handles it.
 */
import type { Call, Lambda, MethodCall, NamedArg } from "./calls.js";
import type { ArrayLiteral, MapEntry, MapLiteral, StructField, StructLiteral, Tuple } from "./constructors.js";
import type { Identifier } from "./identifiers.js";
import type { BooleanLiteral, Interval, NullLiteral, NumberLiteral, Parameter, StringLiteral, TypedLiteral } from "./literals.js";
import type { Binary, Unary } from "./operators.js";
import type { Between, Exists, InList, InSubquery, IsDistinctFrom, IsTest, Like, Quantified } from "./predicates.js";
import type { Cte, Cube, GroupBy, GroupingSets, OrderItem, Query, Rollup, Select, SelectItem, SetOperation, Values, With } from "./queries.js";
import type { Column, ColumnsExpr, FieldAccess, RenameItem, ReplaceItem, Slice, Star, Subscript } from "./references.js";
import type { AtTimeZone, Case, Cast, Collate, ExtractExpr, Subquery, WhenClause } from "./scalar.js";
import type { DerivedTable, Join, LateralView, Pivot, TableAlias, TableFunction, TableRef, Unpivot } from "./tables.js";
import type { ArrayType, MapType, StructType, StructTypeField, TypeName, TypeNode } from "./types.js";
import type { FrameBound, NamedWindow, WindowFrame, WindowSpec } from "./windows.js";

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | TypedLiteral | Interval | Parameter;

export type Predicate = IsTest | IsDistinctFrom | Between | Like | InList | InSubquery | Quantified | Exists;

/** Everything that stands for a value (lambdas and named arguments only inside call arguments). */
export type Expr =
  | Literal
  | Unary
  | Binary
  | Predicate
  | Case
  | Cast
  | ExtractExpr
  | AtTimeZone
  | Collate
  | Subquery
  | Column
  | Star
  | ColumnsExpr
  | FieldAccess
  | Subscript
  | Slice
  | ArrayLiteral
  | StructLiteral
  | MapLiteral
  | Tuple
  | Call
  | MethodCall
  | Lambda
  | NamedArg;

/** An item of a FROM list. */
export type TableExpr = TableRef | DerivedTable | TableFunction | Join | Pivot | Unpivot | LateralView;

/** What a query body (and each operand of a set operation) can be. */
export type QueryBody = Select | SetOperation | Values | Query;

/** An item of GROUP BY. */
export type GroupingElement = Expr | GroupingSets | Rollup | Cube;

/** Nodes that only occur inside another node, never alone in a slot of a category above. */
export type Part =
  | Identifier
  | WhenClause
  | ReplaceItem
  | RenameItem
  | StructField
  | MapEntry
  | WindowSpec
  | WindowFrame
  | FrameBound
  | NamedWindow
  | OrderItem
  | With
  | Cte
  | SelectItem
  | GroupBy
  | TableAlias
  | StructTypeField;

export type Node = Expr | TableExpr | Select | SetOperation | Values | Query | GroupingSets | Rollup | Cube | TypeNode | Part;

export type NodeKind = Node["kind"];
export type NodeOfKind<K extends NodeKind> = Extract<Node, { readonly kind: K }>;

/**
 * What a transformer may put in place of a node of kind K: any node of the same category (an
 * expression for an expression, a table expression for a table expression, …).
 */
export type Replacement<K extends NodeKind> = K extends Query["kind"]
  ? Query
  : NodeOfKind<K> extends Expr
    ? Expr
    : NodeOfKind<K> extends TableExpr
      ? TableExpr
      : NodeOfKind<K> extends QueryBody
        ? QueryBody
        : NodeOfKind<K> extends GroupingSets | Rollup | Cube
          ? GroupingElement
          : NodeOfKind<K> extends TypeNode
            ? TypeNode
            : NodeOfKind<K>;

export type { ArrayType, MapType, StructType, TypeName };
