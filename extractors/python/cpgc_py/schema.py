"""Declared schemas → row writers.

The driver passes each table's declared columns (name, Arrow type string, nullable). For every
table the extractor emits, `compile_writer` turns them into a function that takes one native
row (a tuple in the extractor's own column order, see `native.py`), checks every declared
column's value against its Arrow type and returns the row as one JSON object (no newline) with
exactly the declared keys, in the declared order. The function is generated Python source (one
straight-line body per table), because it runs once per row: millions of times on a large tree.

A value that does not fit raises `SchemaMismatch(column, message)`; a declared column (or struct
field) the extractor does not produce is a `SchemaMismatch` at compile time. Extractor columns
the schema does not declare are left out (a spec may project).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Optional

_enc_str = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring


class SchemaMismatch(Exception):
    """A row (or the schema itself) does not fit: `column` is the column or dotted field path."""

    def __init__(self, column: str, message: str):
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.message = message


class TypeSyntaxError(ValueError):
    pass


# ─── Arrow type strings (the subset of compiler/src/types/parse.ts the extractor needs) ─────────

INT_RANGES = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}
FLOATS = {"float16", "float32", "float64"}
STRINGS = {"utf8", "large_utf8"}
OTHER_PRIMITIVES = {"binary", "large_binary", "date32", "date64"}
ALIASES = {"string": "utf8", "large_string": "large_utf8", "boolean": "bool", "halffloat": "float16", "float": "float32", "double": "float64"}


@dataclass(frozen=True)
class ArrowType:
    kind: str
    # struct: ((name, type, nullable), ...)
    fields: tuple = ()
    # list element / map value
    element: Optional["ArrowType"] = None
    element_nullable: bool = True
    # map key
    key: Optional["ArrowType"] = None
    text: str = ""

    def __str__(self) -> str:
        return self.text or self.kind


class _Cursor:
    def __init__(self, text: str):
        self.text = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def peek(self, s: str) -> bool:
        self.ws()
        return self.text.startswith(s, self.i)

    def eat(self, s: str) -> None:
        self.ws()
        if not self.text.startswith(s, self.i):
            raise TypeSyntaxError(f"expected {s!r} at offset {self.i} of {self.text!r}")
        self.i += len(s)

    def word(self) -> str:
        self.ws()
        j = self.i
        while j < len(self.text) and (self.text[j].isalnum() or self.text[j] == "_"):
            j += 1
        if j == self.i:
            raise TypeSyntaxError(f"expected a name at offset {self.i} of {self.text!r}")
        w, self.i = self.text[self.i : j], j
        return w

    def name(self) -> str:
        self.ws()
        if self.peek('"'):
            self.i += 1
            out = []
            while True:
                if self.i >= len(self.text):
                    raise TypeSyntaxError(f"unterminated quoted name in {self.text!r}")
                c = self.text[self.i]
                if c == '"':
                    if self.text.startswith('""', self.i):
                        out.append('"')
                        self.i += 2
                        continue
                    self.i += 1
                    return "".join(out)
                out.append(c)
                self.i += 1
        return self.word()

    def not_null(self) -> bool:
        """Consumes an optional ` not null`; True when it was there."""
        self.ws()
        save = self.i
        if self.text[self.i : self.i + 3].lower() == "not":
            self.i += 3
            self.ws()
            if self.text[self.i : self.i + 4].lower() == "null":
                self.i += 4
                return True
        self.i = save
        return False


def parse_type(text: str) -> ArrowType:
    c = _Cursor(text)
    t = _parse(c)
    c.ws()
    if c.i != len(text):
        raise TypeSyntaxError(f"unexpected {text[c.i:]!r} in {text!r}")
    return t


def _parse(c: _Cursor) -> ArrowType:
    start = c.i
    w = c.word().lower()
    w = ALIASES.get(w, w)
    if w == "struct":
        c.eat("<")
        fields = []
        if not c.peek(">"):
            while True:
                name = c.name()
                c.eat(":")
                ft = _parse(c)
                fields.append((name, ft, not c.not_null()))
                if not c.peek(","):
                    break
                c.eat(",")
        c.eat(">")
        return ArrowType("struct", fields=tuple(fields), text=c.text[start : c.i].strip())
    if w in ("list", "large_list"):
        c.eat("<")
        save = c.i
        try:  # list<item: T>
            c.name()
            c.eat(":")
        except TypeSyntaxError:
            c.i = save
        el = _parse(c)
        nullable = not c.not_null()
        c.eat(">")
        return ArrowType("list", element=el, element_nullable=nullable, text=c.text[start : c.i].strip())
    if w == "map":
        c.eat("<")
        key = _parse(c)
        c.not_null()
        c.eat(",")
        value = _parse(c)
        nullable = not c.not_null()
        c.eat(">")
        return ArrowType("map", key=key, element=value, element_nullable=nullable, text=c.text[start : c.i].strip())
    if w in ("timestamp", "time32", "time64", "date32", "date64"):
        if c.peek("["):
            while not c.peek("]"):
                c.i += 1
            c.eat("]")
        return ArrowType(w, text=c.text[start : c.i].strip())
    if w in ("decimal", "decimal128"):
        c.eat("(")
        while not c.peek(")"):
            c.i += 1
        c.eat(")")
        return ArrowType("decimal", text=c.text[start : c.i].strip())
    if w == "bool" or w in INT_RANGES or w in FLOATS or w in STRINGS or w in OTHER_PRIMITIVES:
        return ArrowType(w, text=w)
    raise TypeSyntaxError(f"unknown type {w!r} in {c.text!r}")


# ─── Writer generation ─────────────────────────────────────────────────────────────────────────

#: A native column's shape: None for a scalar / list / map value, or a tuple of (field name,
#: shape) for a struct the extractor emits as a tuple in that field order.
NativeShape = Optional[tuple]


def _fail(column: str, expected: str, value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise SchemaMismatch(column, f"{value!r} is not a finite number (JSON cannot carry it)")
    if value is None:
        raise SchemaMismatch(column, f"null in a non-nullable {expected}")
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    raise SchemaMismatch(column, f"expected {expected}, got {type(value).__name__} {shown}")


class _Gen:
    """Generates the body of a row writer. Each value becomes a fragment of one `%`-format
    string for the whole row (struct fields are flattened into it) plus the expressions that
    fill its `%s` slots: ints and floats go in as they are (formatted in C), strings encoded."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.n = 0
        self.consts: dict[str, object] = {}

    def var(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def const(self, value: object) -> str:
        name = f"K{len(self.consts)}"
        self.consts[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def value(self, t: ArrowType, src: str, nullable: bool, shape: NativeShape, column: str, indent: int) -> tuple[str, list[str]]:
        """Emits code checking `src` against `t`; returns (format fragment, slot expressions)."""
        col = self.const(column)
        exp = self.const(str(t))
        k = t.kind
        if k == "struct" and not nullable:
            self.emit(indent, f"if {src}.__class__ is not tuple or len({src}) != {len(shape or ())}: _fail({col}, {exp}, {src})")
            return self.struct_fields(t, src, shape, column, indent)
        if k in INT_RANGES or k in FLOATS:
            lo, hi = INT_RANGES.get(k, (None, None))
            if k in INT_RANGES:
                bad = f"{src}.__class__ is not int or {src} < {lo} or {src} > {hi}"
            else:
                bad = f"({src}.__class__ is not float or not _isfinite({src})) and {src}.__class__ is not int"
            if nullable:
                self.emit(indent, f"if {src} is None: {src} = 'null'")
                self.emit(indent, f"elif {bad}: _fail({col}, {exp}, {src})")
            else:
                self.emit(indent, f"if {bad}: _fail({col}, {exp}, {src})")
            return "%s", [src]
        j = self.var("j")
        if nullable:
            self.emit(indent, f"if {src} is None: {j} = 'null'")
            head = "elif"
        else:
            head = "if"
        if k in STRINGS:
            self.emit(indent, f"{head} {src}.__class__ is str: {j} = _enc_str({src})")
        elif k == "bool":
            self.emit(indent, f"{head} {src} is True: {j} = 'true'")
            self.emit(indent, f"elif {src} is False: {j} = 'false'")
        elif k == "struct":
            self.emit(indent, f"{head} {src}.__class__ is tuple and len({src}) == {len(shape or ())}:")
            fmt, slots = self.struct_fields(t, src, shape, column, indent + 1)
            self.emit(indent + 1, f"{j} = {fmt!r} % ({', '.join(slots)},)" if slots else f"{j} = {fmt!r}")
        elif k == "list":
            assert t.element is not None
            acc, e = self.var("acc"), self.var("e")
            self.emit(indent, f"{head} {src}.__class__ is list or {src}.__class__ is tuple:")
            self.emit(indent + 1, f"{acc} = []")
            self.emit(indent + 1, f"for {e} in {src}:")
            efmt, eslots = self.value(t.element, e, t.element_nullable, None, f"{column}[]", indent + 2)
            self.emit(indent + 2, f"{acc}.append({efmt!r} % ({', '.join(eslots)},))" if eslots else f"{acc}.append({efmt!r})")
            self.emit(indent + 1, f"{j} = '[' + ','.join({acc}) + ']'")
        elif k == "map":
            assert t.key is not None and t.element is not None
            if t.key.kind not in STRINGS:
                raise SchemaMismatch(column, f"declared {t}: the extractor writes maps with utf8 keys only")
            acc, mk, mv = self.var("acc"), self.var("k"), self.var("x")
            kcol, kexp = self.const(column + "{key}"), self.const(str(t.key))
            self.emit(indent, f"{head} {src}.__class__ is dict:")
            self.emit(indent + 1, f"{acc} = []")
            self.emit(indent + 1, f"for {mk}, {mv} in {src}.items():")
            self.emit(indent + 2, f"if {mk}.__class__ is not str: _fail({kcol}, {kexp}, {mk})")
            vfmt, vslots = self.value(t.element, mv, t.element_nullable, None, f"{column}{{value}}", indent + 2)
            self.emit(indent + 2, f"{acc}.append(_enc_str({mk}) + ':' + ({vfmt!r} % ({', '.join(vslots)},)))")
            self.emit(indent + 1, f"{j} = '{{' + ','.join({acc}) + '}}'")
        else:
            raise SchemaMismatch(column, f"declared {t}: the extractor's writer does not handle this type")
        self.emit(indent, f"else: _fail({col}, {exp}, {src})")
        return "%s", [j]

    def struct_fields(self, t: ArrowType, src: str, shape: NativeShape, column: str, indent: int) -> tuple[str, list[str]]:
        if shape is None:
            raise SchemaMismatch(column, f"declared {t}, but the extractor emits no struct here")
        native = {name: (i, sub) for i, (name, sub) in enumerate(shape)}
        fmt, slots = [], []
        for n, (name, ft, fnull) in enumerate(t.fields):
            if name not in native:
                raise SchemaMismatch(f"{column}.{name}", f"the extractor emits no field {name!r} in {column} (it has: {', '.join(n for n, _ in shape)})")
            i, sub = native[name]
            v = self.var("v")
            self.emit(indent, f"{v} = {src}[{i}]")
            ffmt, fslots = self.value(ft, v, fnull, sub, f"{column}.{name}", indent)
            fmt.append(("{" if n == 0 else ",") + _enc_str(name).replace("%", "%%") + ":" + ffmt)
            slots.extend(fslots)
        fmt.append("}" if t.fields else "{}")
        return "".join(fmt), slots


def compile_writer(columns: list, native: list):
    """`columns`: declared [{name, type, nullable}]; `native`: the extractor's [(name, shape)].

    Returns `write(row) -> str`. Raises SchemaMismatch for a declared column the extractor does
    not produce, a struct field it lacks, or a type the writer cannot write; TypeSyntaxError for
    a type string it cannot read.
    """
    index = {name: (i, shape) for i, (name, shape) in enumerate(native)}
    g = _Gen()
    g.emit(0, "def write(row):")
    fmt, slots = [], []
    for n, col in enumerate(columns):
        name = col["name"]
        if name not in index:
            raise SchemaMismatch(name, f"the extractor has no column {name!r} (it has: {', '.join(n for n, _ in native)})")
        try:
            t = parse_type(col["type"])
        except TypeSyntaxError as e:
            raise SchemaMismatch(name, f"cannot read the type {col['type']!r}: {e}") from None
        i, shape = index[name]
        v = g.var("v")
        g.emit(1, f"{v} = row[{i}]")
        cfmt, cslots = g.value(t, v, bool(col.get("nullable", True)), shape, name, 1)
        fmt.append(("{" if n == 0 else ",") + _enc_str(name).replace("%", "%%") + ":" + cfmt)
        slots.extend(cslots)
    fmt.append("}" if columns else "{}")
    row_fmt = "".join(fmt)
    g.emit(1, f"return {row_fmt!r} % ({', '.join(slots)},)" if slots else f"return {row_fmt!r}")
    source = "\n".join(g.lines) + "\n"
    scope = {
        "_enc_str": _enc_str,
        "_isfinite": math.isfinite,
        "_fail": _fail,
        **g.consts,
    }
    exec(compile(source, "<cpgc row writer>", "exec"), scope)
    write = scope["write"]
    write.source = source  # for debugging
    return write
