"""py_tokens rows: tokenize over the decoded text (lines split at \\r\\n, \\r and \\n, kept as
written, so NEWLINE tokens carry the file's own line ending)."""

from __future__ import annotations

import io
import tokenize
from token import tok_name

from .source import Source


def token_rows(path: str, src: Source) -> list[tuple]:
    rows: list[tuple] = []
    span_of = src.char_spanner()
    readline = io.StringIO(src.text, newline="").readline
    for idx, tok in enumerate(tokenize.generate_tokens(readline)):
        (sl, sc), (el, ec) = tok.start, tok.end
        rows.append((path, idx, tok_name[tok.type], tok_name[tok.exact_type], tok.string, span_of(sl, sc, el, ec)))
    return rows
