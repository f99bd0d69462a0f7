"""Unit tests of the extractor's pieces that need no tree: Arrow type strings, row writers,
positions. Run: python3 -m unittest discover -s extractors/python/tests (tests/unit/extract runs it)."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from cpgc_py.schema import SchemaMismatch, TypeSyntaxError, compile_writer, parse_type  # noqa: E402
from cpgc_py.source import Source, count_lines, language_of  # noqa: E402


class ParseType(unittest.TestCase):
    def test_canonical_and_aliases(self):
        self.assertEqual(parse_type("int64").kind, "int64")
        self.assertEqual(parse_type("string").kind, "utf8")
        self.assertEqual(parse_type("BOOLEAN").kind, "bool")
        t = parse_type('struct<a: int32 not null, "b ""q""": list<utf8 not null>, m: map<utf8, float64>>')
        self.assertEqual([(n, f.kind, nn) for n, f, nn in t.fields], [("a", "int32", False), ('b "q"', "list", True), ("m", "map", True)])
        self.assertFalse(t.fields[1][1].element_nullable)
        self.assertEqual(parse_type("list<item: int8>").element.kind, "int8")
        self.assertEqual(parse_type("timestamp[us, UTC]").kind, "timestamp")

    def test_errors(self):
        for bad in ["int", "struct<a int32>", "list<utf8", "map<utf8>", "utf8 utf8"]:
            with self.assertRaises(TypeSyntaxError, msg=bad):
                parse_type(bad)


class Writer(unittest.TestCase):
    NATIVE = (("s", None), ("n", None), ("sp", (("a", None), ("b", None))), ("m", None), ("l", None), ("f", None))

    def writer(self, **types):
        cols = [{"name": k, "type": v[0], "nullable": v[1]} for k, v in types.items()]
        return compile_writer(cols, self.NATIVE)

    def test_json_of_declared_columns_in_declared_order(self):
        w = self.writer(n=("int32", True), s=("utf8", False), sp=("struct<b: int64>", True), m=("map<utf8, utf8>", False), l=("list<int16>", True), f=("float64", True))
        line = w(("é\"%s\n", None, (1, 2), {"k": "%d"}, [1, None], 2.5))
        self.assertEqual(json.loads(line), {"n": None, "s": 'é"%s\n', "sp": {"b": 2}, "m": {"k": "%d"}, "l": [1, None], "f": 2.5})
        self.assertEqual(list(json.loads(line)), ["n", "s", "sp", "m", "l", "f"])

    def test_mismatches_name_the_column(self):
        w = self.writer(s=("utf8", False), n=("int8", True), sp=("struct<a: int32 not null>", False), f=("float32", True))
        cases = [
            ((None, 1, (1, 2), {}, [], 1.0), "s", "null in a non-nullable utf8"),
            (("x", 128, (1, 2), {}, [], 1.0), "n", "expected int8, got int 128"),
            (("x", True, (1, 2), {}, [], 1.0), "n", "got bool"),
            (("x", 1, (None, 2), {}, [], 1.0), "sp.a", "null in a non-nullable int32"),
            (("x", 1, (1,), {}, [], 1.0), "sp", "expected struct"),
            (("x", 1, (1, 2), {}, [], float("inf")), "f", "not a finite number"),
        ]
        for row, column, message in cases:
            with self.assertRaises(SchemaMismatch, msg=column) as ctx:
                w(row)
            self.assertEqual(ctx.exception.column, column)
            self.assertIn(message, str(ctx.exception))

    def test_schema_errors_at_compile_time(self):
        with self.assertRaises(SchemaMismatch) as ctx:
            compile_writer([{"name": "zz", "type": "utf8", "nullable": True}], self.NATIVE)
        self.assertEqual(ctx.exception.column, "zz")
        with self.assertRaises(SchemaMismatch) as ctx:
            compile_writer([{"name": "sp", "type": "struct<c: int32>", "nullable": True}], self.NATIVE)
        self.assertEqual(ctx.exception.column, "sp.c")
        with self.assertRaises(SchemaMismatch):
            compile_writer([{"name": "s", "type": "decimal(10, 2)", "nullable": True}], self.NATIVE)
        with self.assertRaises(SchemaMismatch):
            compile_writer([{"name": "s", "type": "bogus", "nullable": True}], self.NATIVE)


class Positions(unittest.TestCase):
    def test_lines_and_language(self):
        self.assertEqual([count_lines(b""), count_lines(b"a\r\nb\rc\n"), count_lines(b"a\nb")], [0, 3, 2])
        self.assertEqual(language_of("a/b.PY"), "python")
        self.assertEqual(language_of("a/b.pyi"), "python")
        self.assertEqual(language_of("a/README.md"), "md")
        self.assertEqual(language_of("a/Makefile"), "unknown")

    def test_byte_offsets(self):
        src = Source("é = 1\r\n\tx = '🐍'\rz\x0cy = 2\n".encode())
        self.assertEqual(src.line_count, 3)  # \x0c (form feed) does not end a line
        self.assertEqual(src.byte_at_utf8_col(2, 1), len("é = 1\r\n\t".encode()))
        self.assertEqual(src.byte_at_char_col(2, 6), len("é = 1\r\n\tx = '".encode()))
        b, e = src.span_chars(2, 5, 2, 8)[:2]
        self.assertEqual(src.data[b:e].decode(), "'🐍'")
        self.assertEqual(src.span_chars(2, 5, 2, 8)[2:], (2, 5, 2, 11))  # columns as UTF-8 bytes
        latin = Source("# coding: latin-1\ns = 'café'\n".encode("latin-1"))
        b, e = latin.span_utf8(2, 4, 2, 11)[:2]
        self.assertEqual(latin.data[b:e].decode("latin-1"), "'café'")


if __name__ == "__main__":
    unittest.main()
