"""One file → rows per table, stage by stage.

Stages: read → (too_large) → decode → parse → ast rows + imports → tokenize → symtable →
compile + dis. A failure of read, too_large, decode or parse leaves the file with its repo_files
row (when the bytes could be read) and an extract_errors row; a failure of a later stage loses
only that stage's rows (its rows are kept per file and dropped together). Nothing here raises
for a bad file; a SchemaMismatch is raised by the writers, outside.
"""

from __future__ import annotations

import ast
import hashlib
import os

from .ast_rows import ast_rows
from .bytecode_rows import bytecode_rows
from .source import Source, count_lines, hash_file_streaming, language_of
from .symtable_rows import symtable_rows
from .token_rows import token_rows

STAGES = ("read", "too_large", "decode", "parse", "tokenize", "symtable", "compile")


def _error_row(path: str, stage: str, exc: BaseException, src_data: bytes | None = None) -> tuple:
    line = col = None
    if isinstance(exc, SyntaxError):
        message = exc.msg or str(exc)
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        col = exc.offset - 1 if isinstance(exc.offset, int) and exc.offset > 0 else None
    elif isinstance(exc, UnicodeDecodeError):
        message = str(exc)
        if src_data is not None:
            before = src_data[: exc.start]
            line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
            last_nl = max(before.rfind(b"\n"), before.rfind(b"\r"))
            col = exc.start - (last_nl + 1)
    else:
        message = str(exc) or exc.__class__.__name__
    if len(message) > 2000:
        message = message[:1997] + "..."
    return (path, stage, exc.__class__.__name__, message, line, col)


def extract_file(root: str, path: str, want: frozenset, max_bytes: int | None) -> dict:
    """Rows of one file per table key (only the tables in `want`)."""
    out: dict[str, list] = {}
    errors: list[tuple] = []

    def done() -> dict:
        if errors and "errors" in want:
            out["errors"] = errors
        return out

    full = os.path.join(root, path)
    language = language_of(path)
    try:
        size = os.stat(full).st_size
        if max_bytes is not None and size > max_bytes:
            sha, size, lines = hash_file_streaming(full)
            if "files" in want:
                out["files"] = [(path, size, sha, lines, language, None)]
            errors.append((path, "too_large", "FileTooLarge", f"{size} bytes is more than max_file_bytes ({max_bytes})", None, None))
            return done()
        with open(full, "rb") as f:
            data = f.read()
    except OSError as e:
        errors.append(_error_row(path, "read", e))
        return done()

    files_row = [path, len(data), hashlib.sha256(data).hexdigest(), count_lines(data), language, None]
    if language != "python":
        if "files" in want:
            out["files"] = [tuple(files_row)]
        return done()
    try:
        src = Source(data)
        files_row[5] = src.encoding
    except (SyntaxError, UnicodeDecodeError, LookupError, ValueError) as e:
        # detect_encoding raises SyntaxError for a bad cookie or invalid UTF-8 in the first lines
        if "files" in want:
            out["files"] = [tuple(files_row)]
        errors.append(_error_row(path, "decode", e, data))
        return done()
    if "files" in want:
        out["files"] = [tuple(files_row)]

    try:
        tree = compile(src.text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True, optimize=0)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        errors.append(_error_row(path, "parse", e))
        return done()

    parsed = ast_rows(path, tree, src)
    if "ast_nodes" in want:
        out["ast_nodes"] = parsed.nodes
    if "imports" in want and parsed.imports:
        out["imports"] = parsed.imports

    if "tokens" in want:
        try:
            out["tokens"] = token_rows(path, src)
        except Exception as e:  # TokenError, IndentationError, ...
            errors.append(_error_row(path, "tokenize", e))

    if "scopes" in want or "symbols" in want:
        try:
            scopes, symbols = symtable_rows(path, src.text, parsed.scope_nodes)
            if "scopes" in want:
                out["scopes"] = scopes
            if "symbols" in want:
                out["symbols"] = symbols
        except Exception as e:  # SyntaxError the parser lets through (nonlocal at module level, ...)
            errors.append(_error_row(path, "symtable", e))

    if "bytecode" in want:
        try:
            code = compile(tree, path, "exec", dont_inherit=True, optimize=0)
            out["bytecode"] = bytecode_rows(path, code, src)
        except Exception as e:  # 'return' outside function, 'await' outside async function, ...
            errors.append(_error_row(path, "compile", e))
    return done()
