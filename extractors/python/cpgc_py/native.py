"""The rows the extractor produces, per table key (`source.options.table` of a dataset): column
names in the order of the tuples the extractors build, and the shape of struct columns. The
declared schemas in specs/extract/*.yaml are checked against these (see schema.compile_writer).
"""

SPAN = (("bstart", None), ("bend", None), ("line", None), ("col", None), ("end_line", None), ("end_col", None))

SYMBOL_FLAGS = (
    "is_local",
    "is_global",
    "is_declared_global",
    "is_nonlocal",
    "is_free",
    "is_parameter",
    "is_imported",
    "is_assigned",
    "is_referenced",
    "is_annotated",
    "is_namespace",
)

TABLES = {
    "files": (("path", None), ("size_bytes", None), ("sha256", None), ("line_count", None), ("language", None), ("encoding", None)),
    "errors": (("path", None), ("stage", None), ("error_type", None), ("message", None), ("line", None), ("col", None)),
    "ast_nodes": (
        ("path", None),
        ("idx", None),
        ("parent_idx", None),
        ("last_idx", None),
        ("depth", None),
        ("kind", None),
        ("field", None),
        ("field_index", None),
        ("span", SPAN),
        ("attrs", None),
    ),
    "tokens": (("path", None), ("idx", None), ("kind", None), ("exact_kind", None), ("text", None), ("span", SPAN)),
    "scopes": (
        ("path", None),
        ("scope_idx", None),
        ("parent_scope_idx", None),
        ("kind", None),
        ("name", None),
        ("line", None),
        ("node_idx", None),
        ("is_optimized", None),
        ("is_nested", None),
    ),
    "symbols": (("path", None), ("scope_idx", None), ("name", None), ("flags", tuple((f, None) for f in SYMBOL_FLAGS))),
    "bytecode": (
        ("path", None),
        ("code_idx", None),
        ("parent_code_idx", None),
        ("code_name", None),
        ("qualname", None),
        ("first_line", None),
        ("offset", None),
        ("opname", None),
        ("arg", None),
        ("argrepr", None),
        ("line", None),
        ("is_jump_target", None),
        ("span", SPAN),
    ),
    "imports": (("path", None), ("node_idx", None), ("alias_index", None), ("module", None), ("name", None), ("alias", None), ("level", None), ("line", None)),
}

#: Longest repr kept for Constant values and bytecode argreprs.
MAX_REPR = 200

#: The datasets of specs/extract/*.yaml by name → their table key, so `table` may be left out
#: of a dataset's options when the dataset keeps the name cpgc's specs give it.
TABLE_ALIASES = {
    "repo_files": "files",
    "extract_errors": "errors",
    "py_ast_nodes": "ast_nodes",
    "py_tokens": "tokens",
    "py_scopes": "scopes",
    "py_symbols": "symbols",
    "py_bytecode": "bytecode",
    "py_imports": "imports",
}
