"""py_tokens rows: tokenize over the decoded text (lines split at \\r\\n, \\r and \\n, kept as
written, so NEWLINE tokens carry the file's own line ending)."""

from __future__ import annotations

import io
import tokenize
from token import tok_name

from .source import Source


def token_rows(path: str, src: Source) -> list[tuple]:
    rows: list[tuple] = []
    slow = src.span_chars
    starts, non_ascii, size = src.starts, src.non_ascii, len(src.data)
    last = len(starts)
    readline = io.StringIO(src.text, newline="").readline
    append = rows.append
    idx = 0
    for tok in tokenize.generate_tokens(readline):
        (sl, sc), (el, ec) = tok.start, tok.end
        # the fast path of Source.span_chars: ASCII lines, where characters are bytes
        if 0 < sl <= last and 0 < el <= last and sl not in non_ascii and el not in non_ascii:
            b = starts[sl - 1] + sc
            e = starts[el - 1] + ec
            if e > size:
                e = size
            if b > e:
                b = e
            span = (b, e, sl, sc, el, ec)
        else:
            span = slow(sl, sc, el, ec)
        t = tok.type
        append((path, idx, tok_name[t], tok_name[tok.exact_type] if t == tokenize.OP else tok_name[t], tok.string, span))
        idx += 1
    return rows
