"""py_bytecode rows: dis over the module's code object and every code object in co_consts,
recursively, numbered in preorder. Inline cache entries are left out."""

from __future__ import annotations

import dis
import types

from .native import MAX_REPR
from .source import Source

_UNSTABLE = (types.CodeType, frozenset, tuple)


def stable_repr(value: object) -> str:
    """repr without what changes from run to run: set order (string hashes are salted per
    process) and code objects' addresses."""
    if isinstance(value, types.CodeType):
        return f"<code object {getattr(value, 'co_qualname', value.co_name)}, line {value.co_firstlineno}>"
    if isinstance(value, frozenset):
        return "frozenset({" + ", ".join(sorted(stable_repr(v) for v in value)) + "})" if value else "frozenset()"
    if isinstance(value, tuple):
        inner = [stable_repr(v) for v in value]
        return "(" + ", ".join(inner) + ("," if len(inner) == 1 else "") + ")"
    return repr(value)


def bytecode_rows(path: str, code: types.CodeType, src: Source) -> list[tuple]:
    rows: list[tuple] = []
    span_of = src.utf8_spanner()
    stack: list[tuple] = [(code, None)]
    code_idx = -1
    while stack:
        co, parent = stack.pop()
        code_idx += 1
        me = code_idx
        qualname = getattr(co, "co_qualname", None)
        name = co.co_name
        first = co.co_firstlineno
        line = None
        for ins in dis.get_instructions(co):
            pos = getattr(ins, "positions", None)
            span = None
            if pos is not None:  # 3.11+: every instruction has positions; line 0 means none
                line = pos.lineno if pos.lineno is not None and pos.lineno > 0 else None
                if line is not None and None not in pos and pos.end_lineno >= line:
                    span = span_of(line, pos.col_offset, pos.end_lineno, pos.end_col_offset)
            elif ins.starts_line not in (None, False, True):  # before 3.11: the line where one starts
                line = ins.starts_line
            argrepr = ins.argrepr
            if argrepr and isinstance(ins.argval, _UNSTABLE):
                argrepr = stable_repr(ins.argval)
            if len(argrepr) > MAX_REPR:
                argrepr = argrepr[: MAX_REPR - 3] + "..."
            rows.append((path, me, parent, name, qualname, first, ins.offset, ins.opname, ins.arg, argrepr or None, line, bool(ins.is_jump_target), span))
        children = [c for c in co.co_consts if isinstance(c, types.CodeType)]
        for child in reversed(children):
            stack.append((child, me))
    return rows
