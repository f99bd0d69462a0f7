"""A file's bytes, its decoded text, and the conversion of Python's positions to byte offsets.

Positions in the extract tables are byte offsets into the file as stored (`bytes[bstart:bend]`
is the source). Python reports (line, column) pairs: ast and co_positions give the column in
UTF-8 bytes of the decoded line, tokenize in characters. Lines end at \\r\\n, \\r or \\n (as
CPython's tokenizer counts them; not str.splitlines, which also splits at \\f, \\v, \\x1c, ...).
"""

from __future__ import annotations

import bisect
import hashlib
import io
import re
import tokenize

_NEWLINE = re.compile(rb"\r\n|\r|\n")
_NEWLINE_TEXT = re.compile(r"\r\n|\r|\n")
_NON_ASCII = re.compile(rb"[\x80-\xff]+")

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")


def language_of(path: str) -> str:
    lower = path.lower()
    if lower.endswith(PYTHON_SUFFIXES):
        return "python"
    name = lower.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[1] if "." in name.strip(".") else "unknown"


def count_lines(data: bytes) -> int:
    if not data:
        return 0
    n = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return n if data.endswith((b"\n", b"\r")) else n + 1


def hash_file_streaming(path: str) -> tuple[str, int, int]:
    """(sha256, size, line count) of a file read in chunks (for files too large to load)."""
    h = hashlib.sha256()
    size = lines = crlf = 0
    prev_cr = False
    last = b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n") + chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (1 if prev_cr and chunk[:1] == b"\n" else 0)
            prev_cr = chunk.endswith(b"\r")
            last = chunk[-1:]
    n = lines - crlf
    if size and last not in (b"\n", b"\r"):
        n += 1
    return h.hexdigest(), size, n


class Source:
    """A decoded file with the position conversions. `encoding` is tokenize's answer
    (utf-8, utf-8-sig when a BOM is present, or a PEP 263 cookie)."""

    def __init__(self, data: bytes):
        self.data = data
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        self.encoding = encoding
        self.text = data.decode(encoding)
        self.bom = 3 if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else 0
        self.utf8 = encoding in ("utf-8", "utf-8-sig")
        self._codec = "utf-8" if encoding == "utf-8-sig" else encoding
        starts = [0]
        starts.extend(m.end() for m in _NEWLINE.finditer(data))
        if starts[-1] != len(data):
            starts.append(len(data))  # sentinel: where line n+1 would start (ENDMARKER, DEDENT)
        self.starts = starts
        self.line_count = len(starts) - 1
        self._lines: list[str] | None = None
        # lines holding a non-ASCII byte (the BOM counts): positions there need the slow path
        self.non_ascii: frozenset[int] = frozenset()
        if not data.isascii():
            lines = set()
            for m in _NON_ASCII.finditer(data):
                first = bisect.bisect_right(starts, m.start())
                last = bisect.bisect_right(starts, m.end() - 1)
                lines.update(range(first, last + 1))
            self.non_ascii = frozenset(lines)

    def _line_text(self, line: int) -> str:
        if self._lines is None:
            lines, pos, text = [], 0, self.text
            for m in _NEWLINE_TEXT.finditer(text):  # each line with its terminator
                lines.append(text[pos : m.end()])
                pos = m.end()
            if pos < len(text):
                lines.append(text[pos:])
            self._lines = lines
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def _is_ascii(self, line: int) -> bool:
        return line not in self.non_ascii

    def _line_start(self, line: int) -> int:
        s = self.starts
        if line < 1:
            return 0
        if line > len(s):
            return len(self.data)
        return s[line - 1] + (self.bom if line == 1 else 0)

    def byte_at_utf8_col(self, line: int, col: int) -> int:
        """File byte offset of (1-based line, column in UTF-8 bytes of the decoded line)."""
        start = self._line_start(line)
        if self.utf8 or self._is_ascii(line):
            return min(start + col, len(self.data))
        text = self._line_text(line)
        chars = len(text.encode("utf-8")[:col].decode("utf-8", "ignore"))
        return min(start + len(text[:chars].encode(self._codec)), len(self.data))

    def char_to_utf8_col(self, line: int, col: int) -> int:
        """UTF-8 byte column of (1-based line, column in characters)."""
        if self._is_ascii(line):
            return col
        return len(self._line_text(line)[:col].encode("utf-8"))

    def byte_at_char_col(self, line: int, col: int) -> int:
        """File byte offset of (1-based line, column in characters)."""
        start = self._line_start(line)
        if self._is_ascii(line):
            return min(start + col, len(self.data))
        return min(start + len(self._line_text(line)[:col].encode(self._codec)), len(self.data))

    def span_utf8(self, line: int, col: int, end_line: int, end_col: int) -> tuple:
        """Span struct of positions whose columns are UTF-8 bytes (ast, co_positions)."""
        b = self.byte_at_utf8_col(line, col)
        e = self.byte_at_utf8_col(end_line, end_col)
        return (b, e if e >= b else b, line, col, end_line, end_col)

    def span_chars(self, line: int, col: int, end_line: int, end_col: int) -> tuple:
        """Span struct of positions whose columns are characters (tokenize)."""
        b = self.byte_at_char_col(line, col)
        e = self.byte_at_char_col(end_line, end_col)
        return (b, e if e >= b else b, line, self.char_to_utf8_col(line, col), end_line, self.char_to_utf8_col(end_line, end_col))

    def utf8_spanner(self):
        """A fast `span_utf8` for this file: plain arithmetic when the file is UTF-8."""
        if not self.utf8:
            return self.span_utf8
        starts, bom, size, slow = self.starts, self.bom, len(self.data), self.span_utf8
        last = len(starts)

        def span(line: int, col: int, end_line: int, end_col: int) -> tuple:
            if (bom and (line == 1 or end_line == 1)) or line > last or end_line > last or line < 1 or end_line < 1:
                return slow(line, col, end_line, end_col)
            b = starts[line - 1] + col
            e = starts[end_line - 1] + end_col
            if e > size:
                e = size
            return (b, e if e >= b else b, line, col, end_line, end_col)

        return span

    def char_spanner(self):
        """A fast `span_chars` for this file: plain arithmetic on ASCII lines."""
        starts, size, slow, non_ascii = self.starts, len(self.data), self.span_chars, self.non_ascii
        last = len(starts)

        def span(line: int, col: int, end_line: int, end_col: int) -> tuple:
            if line in non_ascii or end_line in non_ascii or line > last or end_line > last or line < 1 or end_line < 1:
                return slow(line, col, end_line, end_col)
            b = starts[line - 1] + col
            e = starts[end_line - 1] + end_col
            if e > size:
                e = size
            if b > size:
                b = size
            return (b, e if e >= b else b, line, col, end_line, end_col)

        return span
