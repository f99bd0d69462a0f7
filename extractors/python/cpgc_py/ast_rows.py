"""py_ast_nodes and py_imports rows from one parsed module.

Nodes are numbered in preorder (fields in `_fields` order, list fields in order). Context
(Load/Store/Del) and operator singletons are not nodes: they become their parent's `ctx`,
`op` or `ops` attribute, because as nodes they carry no position and would be half the rows.
"""

from __future__ import annotations

import ast

from .native import MAX_REPR
from .source import Source

#: Nodes that open a symtable scope, with the scope name symtable gives them.
SCOPE_NAMES = {
    ast.Lambda: "lambda",
    ast.ListComp: "listcomp",
    ast.SetComp: "setcomp",
    ast.DictComp: "dictcomp",
    ast.GeneratorExp: "genexpr",
}
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# How a field's value is turned into rows. ast's grammar gives every field one shape, so the
# shape is learned from the first non-empty value seen and cached per (class, field).
_CHILD, _CHILDREN, _CTX, _OP, _OPS, _STRINGS, _SCALAR, _CONST = range(8)
_shapes: dict[tuple, int] = {}


def _shape_of(cls: type, name: str, value: object) -> int:
    if cls in (ast.Constant, ast.MatchSingleton) and name == "value":
        shape = _CONST
    elif isinstance(value, ast.expr_context):
        shape = _CTX
    elif isinstance(value, (ast.operator, ast.boolop, ast.unaryop)):
        shape = _OP
    elif isinstance(value, ast.AST):
        shape = _CHILD
    elif isinstance(value, list):
        first = value[0]
        shape = _OPS if isinstance(first, ast.cmpop) else _STRINGS if isinstance(first, str) else _CHILDREN
    else:
        shape = _SCALAR
    _shapes[(cls, name)] = shape
    return shape


def const_repr(value: object) -> str:
    try:
        r = repr(value)
    except ValueError:  # an int too long for repr (sys.set_int_max_str_digits)
        r = f"<{type(value).__name__} of {value.bit_length()} bits>" if isinstance(value, int) else f"<{type(value).__name__}>"
    return r if len(r) <= MAX_REPR else r[: MAX_REPR - 3] + "..."


def _scalar(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return None


class AstResult:
    __slots__ = ("nodes", "imports", "scope_nodes")

    def __init__(self) -> None:
        self.nodes: list[tuple] = []
        self.imports: list[tuple] = []
        #: (scope name, line) → node idxs in preorder, for py_scopes.node_idx
        self.scope_nodes: dict[tuple[str, int], list[int]] = {}


def ast_rows(path: str, tree: ast.AST, src: Source) -> AstResult:
    out = AstResult()
    parents: list = []
    raw: list[list] = []
    # stack of (node, parent idx, depth, field, field index); pushed in reverse for preorder
    stack: list[tuple] = [(tree, None, 0, None, None)]
    scope_nodes = out.scope_nodes
    span_of = src.utf8_spanner()
    plain = src.utf8 and not src.bom
    starts, last = src.starts, len(src.starts)
    shapes = _shapes
    Import, ImportFrom = ast.Import, ast.ImportFrom
    while stack:
        node, parent, depth, field, findex = stack.pop()
        idx = len(raw)
        cls = node.__class__
        attrs: dict[str, str] = {}
        children: list[tuple] = []
        for name in cls._fields:
            value = getattr(node, name, None)
            shape = shapes.get((cls, name))
            if shape is None:
                if value is None or value == []:
                    if cls not in (ast.Constant, ast.MatchSingleton):
                        continue
                shape = _shape_of(cls, name, value)
            if shape == _CONST:
                attrs["value"] = const_repr(value)
                attrs["value_type"] = type(value).__name__
            elif value is None:
                continue
            elif shape == _CHILD:
                children.append((value, idx, depth + 1, name, None))
            elif shape == _CHILDREN:
                i = 0
                for item in value:
                    if item is not None:  # Dict.keys holds None for **splats
                        children.append((item, idx, depth + 1, name, i))
                    i += 1
            elif shape == _CTX:
                attrs["ctx"] = value.__class__.__name__
            elif shape == _OP:
                attrs["op"] = value.__class__.__name__
            elif shape == _OPS:
                if value:
                    attrs[name] = ",".join([v.__class__.__name__ for v in value])
            elif shape == _STRINGS:
                if value:
                    attrs[name] = ",".join(value)
            else:
                s = _scalar(value)
                if s is not None:
                    attrs[name] = s
        lineno = getattr(node, "lineno", None)
        end_lineno = getattr(node, "end_lineno", None)
        if lineno is None or end_lineno is None:
            span = None
        elif plain and 0 < lineno <= end_lineno < last:
            # UTF-8 without BOM: ast's columns are byte offsets in the line
            col, end_col = node.col_offset, node.end_col_offset
            span = (starts[lineno - 1] + col, starts[end_lineno - 1] + end_col, lineno, col, end_lineno, end_col)
        else:
            span = span_of(lineno, node.col_offset, end_lineno, node.end_col_offset)
        raw.append([path, idx, parent, idx, depth, cls.__name__, field, findex, span, dict(sorted(attrs.items())) if len(attrs) > 1 else attrs])
        parents.append(parent)
        if cls in SCOPE_NAMES:
            scope_nodes.setdefault((SCOPE_NAMES[cls], lineno or 0), []).append(idx)
        elif cls in _DEFS:
            scope_nodes.setdefault((node.name, lineno or 0), []).append(idx)
        elif cls is Import:
            for i, alias in enumerate(node.names):
                out.imports.append((path, idx, i, alias.name, None, alias.asname, 0, lineno))
        elif cls is ImportFrom:
            for i, alias in enumerate(node.names):
                out.imports.append((path, idx, i, node.module, alias.name, alias.asname, node.level or 0, lineno))
        if children:
            children.reverse()
            stack.extend(children)
    # last_idx: the last preorder index within each subtree
    for i in range(len(raw) - 1, 0, -1):
        p = parents[i]
        if p is not None and raw[i][3] > raw[p][3]:
            raw[p][3] = raw[i][3]
    scope_nodes[("top", 0)] = [0]
    out.nodes = [tuple(r) for r in raw]
    return out
