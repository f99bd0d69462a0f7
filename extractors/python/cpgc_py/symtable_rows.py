"""py_scopes and py_symbols rows from symtable, scopes numbered in preorder of the table tree.

A scope's node_idx is matched by (scope name, line) against the AST nodes that open scopes, in
order: symtable visits definitions in source order, so the n-th scope with a given name and line
is the n-th such node."""

from __future__ import annotations

import symtable

from .native import SYMBOL_FLAGS

_FLAG_METHODS = tuple(getattr(symtable.Symbol, f, None) for f in SYMBOL_FLAGS)


def symtable_rows(path: str, text: str, scope_nodes: dict) -> tuple[list[tuple], list[tuple]]:
    top = symtable.symtable(text, path, "exec")
    scopes: list[tuple] = []
    symbols: list[tuple] = []
    taken: dict[tuple, int] = {}
    stack: list[tuple] = [(top, None)]
    while stack:
        table, parent = stack.pop()
        idx = len(scopes)
        kind = table.get_type()
        kind = getattr(kind, "value", kind)  # an enum from Python 3.13 on
        name = table.get_name()
        line = table.get_lineno()
        key = (name, line)
        n = taken.get(key, 0)
        candidates = scope_nodes.get(key, ())
        node_idx = candidates[n] if n < len(candidates) else None
        taken[key] = n + 1
        scopes.append((path, idx, parent, str(kind), name, line or None, node_idx, bool(table.is_optimized()), bool(table.is_nested())))
        for sym in sorted(table.get_symbols(), key=lambda s: s.get_name()):
            flags = tuple(bool(m(sym)) if m is not None else None for m in _FLAG_METHODS)
            symbols.append((path, idx, sym.get_name(), flags))
        children = table.get_children()
        for child in reversed(children):
            stack.append((child, idx))
    return scopes, symbols
