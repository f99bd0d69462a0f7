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
import json
import os
import sys

FOLDED = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)


class Pos:
    def __init__(self, s):
        self.lineno, self.col_offset, self.end_lineno, self.end_col_offset = s["line"], s["col"], s["end_line"], s["end_col"]


def rows(staging, dataset):
    out = collections.defaultdict(list)
    for f in sorted(glob.glob(os.path.join(staging, dataset, "*.ndjson"))):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                out[r["path"]].append(r)
    return out


def main(root, staging):
    files = {p: rs[0] for p, rs in rows(staging, "repo_files").items()}
    nodes, tokens, code = rows(staging, "py_ast_nodes"), rows(staging, "py_tokens"), rows(staging, "py_bytecode")
    bad = []
    counts = collections.Counter()

    def mismatch(*what):
        if len(bad) < 30:
            bad.append(" | ".join(map(str, what)))
        counts["mismatches"] += 1

    for path, f in sorted(files.items()):
        enc = f["encoding"]
        if enc is None or path not in nodes:
            continue
        data = open(os.path.join(root, path), "rb").read()
        text = data.decode(enc)
        tree = ast.parse(text)
        expect = collections.Counter()
        for n in ast.walk(tree):
            if isinstance(n, FOLDED):
                continue
            pos = (n.lineno, n.col_offset, n.end_lineno, n.end_col_offset) if getattr(n, "end_lineno", None) is not None else None
            expect[(type(n).__name__, pos)] += 1
        got = collections.Counter()
        for r in nodes[path]:
            s = r["span"]
            got[(r["kind"], None if s is None else (s["line"], s["col"], s["end_line"], s["end_col"]))] += 1
            if s is None:
                continue
            counts["ast_spans"] += 1
            want = ast.get_source_segment(text, Pos(s))
            try:
                seg = data[s["bstart"] : s["bend"]].decode(enc)
            except UnicodeDecodeError as e:
                mismatch(path, r["idx"], r["kind"], "undecodable", e)
                continue
            if seg.replace("\r\n", "\n").replace("\r", "\n") != (want or "").replace("\r\n", "\n").replace("\r", "\n"):
                mismatch(path, r["idx"], r["kind"], repr(seg[:60]), repr((want or "")[:60]))
        if got != expect:
            mismatch(path, "node set differs", list((got - expect).items())[:3], list((expect - got).items())[:3])
        for r in tokens.get(path, ()):
            s = r["span"]
            counts["token_spans"] += 1
            seg = data[s["bstart"] : s["bend"]].decode(enc, "replace")
            if seg != r["text"] and not (r["text"] == "" and s["bstart"] == s["bend"]):
                mismatch(path, "token", r["idx"], r["kind"], repr(seg[:40]), repr(r["text"][:40]))
        for r in code.get(path, ()):
            s = r["span"]
            if s is None:
                continue
            counts["bytecode_spans"] += 1
            try:
                want = ast.get_source_segment(text, Pos(s))
            except IndexError:
                mismatch(path, "bytecode", r["code_idx"], r["offset"], "position outside the file", s)
                continue
            try:
                seg = data[s["bstart"] : s["bend"]].decode(enc)
            except UnicodeDecodeError as e:
                mismatch(path, "bytecode", r["code_idx"], r["offset"], "undecodable", e)
                continue
            if want is not None and seg.replace("\r\n", "\n").replace("\r", "\n") != want.replace("\r\n", "\n").replace("\r", "\n"):
                mismatch(path, "bytecode", r["code_idx"], r["offset"], r["opname"], repr(seg[:40]), repr(want[:40]))
        counts["files"] += 1
    print(json.dumps({"counts": counts, "mismatches": bad}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
