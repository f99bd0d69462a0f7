"""Checks the staged rows of the Python extractor against python3's own view of each file.

    python3 check_spans.py ROOT STAGING_DIR   → one JSON object on stdout

For every file with a repo_files row whose encoding is known:
- py_ast_nodes: bytes[bstart:bend] decodes to ast.get_source_segment for the row's own
  (line, col, end_line, end_col), and the (kind, positions) of the rows are exactly those of
  ast.walk (minus the folded ctx/operator singletons);
- py_tokens: bytes[bstart:bend] decodes to the token text (a NEWLINE's text may be "" at EOF);
- py_bytecode: spans decode to get_source_segment of the instruction's own positions.
"""

import ast
import collections
import glob
import itertools
import json
import os
import re
import sys

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
FOLDED = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)


class Pos:
    def __init__(self, s):
        self.lineno, self.col_offset, self.end_lineno, self.end_col_offset = s["line"], s["col"], s["end_line"], s["end_col"]


def rows(staging, dataset):
    """(path, rows of that path) in chunk order: a file's rows are consecutive in one worker's
    chunks, so this streams (the whole standard library does not fit in memory as dicts)."""
    def stream():
        for f in sorted(glob.glob(os.path.join(staging, dataset, "*.ndjson"))):
            with open(f, encoding="utf-8") as fh:
                for line in fh:
                    yield json.loads(line)

    for path, group in itertools.groupby(stream(), key=lambda r: r["path"]):
        yield path, list(group)


def norm(s):
    return s.replace("\r\n", "\n").replace("\r", "\n")


def main(root, staging):
    files = {p: rs[0] for p, rs in rows(staging, "repo_files")}
    bad = []
    counts = collections.Counter()

    def mismatch(*what):
        if len(bad) < 30:
            bad.append(" | ".join(map(str, what)))
        counts["mismatches"] += 1

    def source(path):
        enc = files[path]["encoding"]
        data = open(os.path.join(root, path), "rb").read()
        text = data.decode(enc)
        return enc, data, text, [m.group(0) for m in LINE.finditer(text)]

    def segment(lines, s):
        """ast.get_source_segment over the file's lines split once (it splits per call)."""
        l, c, el, ec = s["line"] - 1, s["col"], s["end_line"] - 1, s["end_col"]
        if not (0 <= l <= el < len(lines)):
            return None
        if l == el:
            return lines[l].encode()[c:ec].decode()
        first = lines[l].encode()[c:].decode()
        last = lines[el].encode()[:ec].decode()
        return "".join([first, *lines[l + 1 : el], last])

    for path, nodes in rows(staging, "py_ast_nodes"):
        enc, data, text, lines = source(path)
        expect = collections.Counter()
        for n in ast.walk(ast.parse(text)):
            if isinstance(n, FOLDED):
                continue
            pos = (n.lineno, n.col_offset, n.end_lineno, n.end_col_offset) if getattr(n, "end_lineno", None) is not None else None
            expect[(type(n).__name__, pos)] += 1
        got = collections.Counter()
        for r in nodes:
            s = r["span"]
            got[(r["kind"], None if s is None else (s["line"], s["col"], s["end_line"], s["end_col"]))] += 1
            if s is None:
                continue
            counts["ast_spans"] += 1
            want = segment(lines, s)
            try:
                seg = data[s["bstart"] : s["bend"]].decode(enc)
            except UnicodeDecodeError as e:
                mismatch(path, r["idx"], r["kind"], "undecodable", e)
                continue
            if want is None or norm(seg) != norm(want):
                mismatch(path, r["idx"], r["kind"], repr(seg[:60]), repr((want or "")[:60]))
        if got != expect:
            mismatch(path, "node set differs", list((got - expect).items())[:3], list((expect - got).items())[:3])
        counts["files"] += 1

    for path, tokens in rows(staging, "py_tokens"):
        enc, data, text, lines = source(path)
        for r in tokens:
            s = r["span"]
            counts["token_spans"] += 1
            seg = data[s["bstart"] : s["bend"]].decode(enc, "replace")
            if seg != r["text"] and not (r["text"] == "" and s["bstart"] == s["bend"]):
                mismatch(path, "token", r["idx"], r["kind"], repr(seg[:40]), repr(r["text"][:40]))

    for path, code in rows(staging, "py_bytecode"):
        enc, data, text, lines = source(path)
        for r in code:
            s = r["span"]
            if s is None:
                continue
            counts["bytecode_spans"] += 1
            want = segment(lines, s)
            try:
                seg = data[s["bstart"] : s["bend"]].decode(enc)
            except UnicodeDecodeError as e:
                mismatch(path, "bytecode", r["code_idx"], r["offset"], "undecodable", e)
                continue
            if want is None or norm(seg) != norm(want):
                mismatch(path, "bytecode", r["code_idx"], r["offset"], r["opname"], repr(seg[:40]), repr((want or "")[:40]))
    print(json.dumps({"counts": counts, "mismatches": bad}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
