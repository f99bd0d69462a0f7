// The SQL AST: immutable typed nodes, one module per family, with factories.
export * from "./node.js";
export * from "./nodes.js";
export * from "./identifiers.js";
export * from "./literals.js";
export * from "./operators.js";
export * from "./predicates.js";
export * from "./scalar.js";
export * from "./references.js";
export * from "./constructors.js";
export * from "./calls.js";
export * from "./windows.js";
export * from "./queries.js";
export * from "./tables.js";
export * from "./types.js";
export * from "./children.js";
export * from "./transform.js";
export * from "./compare.js";
