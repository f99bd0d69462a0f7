/** A small Python package that exercises positions: unicode, tabs, CRLF, CR, BOM, cookies, errors. */

const MOD = [
  "# -*- coding: utf-8 -*-",
  '"""Mödule with ünïcode, tabs and 4-byte chars: 🐍𝔘."""',
  "import os",
  "from collections import OrderedDict as OD, defaultdict",
  "",
  "CONST = 'x' * 3 + \"🐍\"  # a comment with ü",
  `LONG = ${JSON.stringify("α".repeat(300))}`,
  "BIG = 123456789012345678901234567890",
  "",
  "def grüße(名前, *args, flag: bool = True, **kw) -> str:",
  "\tcount = 0",
  "\tdef inner():",
  "\t\tnonlocal count",
  "\t\tcount += 1",
  "\t\treturn f'{名前!r:>10} {count}'",
  "\treturn inner() + '🐍' if flag else [c for c in 名前 if c != 'ü'][0]",
  "",
  "@staticmethod",
  "def decorated(a, b=lambda x: x ** 2):",
  "    global CONST",
  "    CONST = {k: v for k, v in zip(a, b)}",
  "    return (y := len(a)) > 2 and not a or -b",
  "",
  "class Thing(OD):",
  '    """Dök."""',
  "    attr: int = 1",
  "    def método(self, x):",
  "        match x:",
  "            case [1, *rest]:",
  "                return rest",
  "            case {'k': v} if v is None:",
  "                return None",
  "            case Thing(attr=3) | True:",
  "                return True",
  "        return self.__private(x)",
  "    def __private(self, x):",
  "        try:",
  "            return {**x, 'é': 1}",
  "        except (KeyError, TypeError) as e:",
  "            raise ValueError('ñ') from e",
  "    async def co(self):",
  "        async with self as s:",
  "            async for i in s:",
  "                await i",
  "        return [i async for i in self]",
  "",
  "print(grüße('Zoë'), 1 < 2 <= 3 != 4, 'a' 'b', b'bytes\\xff', 1.5j, ..., None)",
  "",
].join("\n");

export const TREE: Record<string, string | Buffer> = {
  "pkg/__init__.py": '"""Päckage — ünïcödé."""\nfrom .mod import grüße as hello, Thing\nimport os.path as osp, sys\nfrom . import mod\nfrom .. import *\n',
  "pkg/mod.py": MOD,
  "pkg/crlf.py": "x = 'é'\r\nif x:\r\n    y = [\r\n        1,\r\n    ]\r\n",
  "pkg/cr_only.py": 'x = 1\ry = "é"\rdef f():\r    return 2\r',
  "pkg/bom.py": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("s = 'ß'\nt = s * 2  # ü\n", "utf8")]),
  "pkg/latin_cookie.py": Buffer.from("# -*- coding: latin-1 -*-\ns = 'café'\nt = (s,\n     'naïve')\n", "latin1"),
  "pkg/no_newline.py": "def f():\n    return 'é'",
  "pkg/empty.py": "",
  "pkg/bad_syntax.py": "def ok():\n    pass\n\ndef broken(:\n    pass\n",
  "pkg/latin1_nocookie.py": Buffer.from("x = 1\ny = 'caf\xe9'\n", "latin1"),
  "pkg/outside.py": "x = 1\nreturn x\n",
  "pkg/big.py": "x = 1\n".repeat(2000),
  "pkg/sub/deep.py": "from ..mod import Thing\n\nclass Sub(Thing):\n    pass\n",
  "pkg/.hidden/skipped.py": "x = 1\n",
  "pkg/notes.txt": "not python\n",
};

/** Larger files than this are too_large (only pkg/big.py is). */
export const MAX_FILE_BYTES = 8000;

/** Files of TREE the scan sees with include **\/*.py (hidden directories are skipped). */
export const PY_FILES = Object.keys(TREE)
  .filter((p) => p.endsWith(".py") && !p.includes("/."))
  .sort();
