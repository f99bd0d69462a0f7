"""What python3's own ast says about a source tree, for the CPG e2e tests to check the graph against.

    python3 cpg-ast-facts.py ROOT  →  JSON on stdout:
      defs     every FunctionDef / AsyncFunctionDef: path, name, line, col
      methods  every def directly in a class body (through if/try/with/for blocks, not through
               another def or class): the class's and the method's path, line, col
      calls    known call sites: f(...) where f is a function defined exactly once at module level
               (a def, and no other binding of f in the module: assignment, import, class) and no
               enclosing function binds f (parameter, assignment, nested def, import) — so by
               Python's scoping rules the call can only mean that def. Call span + def position.
      broken   files ast.parse refuses: path, line

Paths are relative to ROOT, '/'-separated; lines 1-based, cols 0-based UTF-8 byte offsets (ast's).
"""

import ast
import json
import os
import sys

DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
SCOPES = DEFS + (ast.Lambda,)


def py_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                full = os.path.join(dirpath, name)
                yield full, os.path.relpath(full, root).replace(os.sep, "/")


def methods_of(cls):
    stack = list(cls.body)
    while stack:
        s = stack.pop()
        if isinstance(s, DEFS):
            yield s
        elif not isinstance(s, ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                stack.extend(getattr(s, field, None) or [])


def module_bindings(tree):
    """name → binding nodes at module scope (defs and classes are not entered)."""
    out = {}

    def bind(name, node):
        out.setdefault(name, []).append(node)

    for stmt in tree.body:
        if isinstance(stmt, DEFS + (ast.ClassDef,)):
            bind(stmt.name, stmt)
            continue
        for n in ast.walk(stmt):
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                bind(n.id, n)
            elif isinstance(n, ast.alias):
                bind((n.asname or n.name).split(".")[0], n)
            elif isinstance(n, DEFS + (ast.ClassDef,)):
                bind(n.name, n)
    return out


def bound_in(scope):
    """Names a function or lambda binds locally (parameters, assignments, nested defs, imports); for
    a class, every name bound anywhere in it (a superset: calls under it are left out when unsure)."""
    names = {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)} if isinstance(scope, SCOPES) else set()
    declared_global = set()
    for n in ast.walk(scope):
        if n is scope:
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.add(n.id)
        elif isinstance(n, DEFS + (ast.ClassDef,)):
            names.add(n.name)
        elif isinstance(n, ast.alias):
            names.add((n.asname or n.name).split(".")[0])
        elif isinstance(n, ast.Global):
            declared_global.update(n.names)
    return names - declared_global


def facts(root):
    out = {"defs": [], "methods": [], "calls": [], "broken": []}
    for full, rel in py_files(root):
        with open(full, "rb") as f:
            source = f.read()
        try:
            tree = ast.parse(source, rel)
        except (SyntaxError, ValueError) as e:
            out["broken"].append({"path": rel, "line": getattr(e, "lineno", None)})
            continue
        for n in ast.walk(tree):
            if isinstance(n, DEFS):
                out["defs"].append({"path": rel, "name": n.name, "line": n.lineno, "col": n.col_offset})
            elif isinstance(n, ast.ClassDef):
                for m in methods_of(n):
                    out["methods"].append({
                        "path": rel, "cls": n.name, "cls_line": n.lineno, "cls_col": n.col_offset,
                        "name": m.name, "line": m.lineno, "col": m.col_offset,
                    })
        bindings = module_bindings(tree)
        funcs = {k: v[0] for k, v in bindings.items() if len(v) == 1 and isinstance(v[0], DEFS)}

        def visit(node, bound):
            for child in ast.iter_child_nodes(node):
                inner = bound | bound_in(child) if isinstance(child, SCOPES + (ast.ClassDef,)) else bound
                if isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
                    name = child.func.id
                    if name in funcs and name not in bound:
                        d = funcs[name]
                        out["calls"].append({
                            "path": rel, "callee": name,
                            "line": child.lineno, "col": child.col_offset,
                            "end_line": child.end_lineno, "end_col": child.end_col_offset,
                            "def_line": d.lineno, "def_col": d.col_offset,
                        })
                visit(child, inner)

        visit(tree, frozenset())
    return out


if __name__ == "__main__":
    json.dump(facts(sys.argv[1]), sys.stdout, indent=1, sort_keys=True)
