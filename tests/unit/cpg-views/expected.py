"""What the CPG must contain, decided from the source with python3's ast alone (no symtable, no
cpgc code): the defs, the methods of each class, and call sites whose callee is certain.

Usage: python3 expected.py ROOT FILE...   (FILE relative to ROOT, '/'-separated)
Prints JSON: {"defs": [...], "methods": [...], "calls": [...]}.

Calls are only the unambiguous kinds, so that every expected call must be resolved:
  name    f(...) where the module binds f exactly once, by a module-level def/class, and nothing
          else in the file binds the name f (no parameter, assignment, import, nested def, ...)
  self    self.m(...) in a method whose first parameter is self, where the class body defines m
          exactly once and binds nothing else named m
  import  g(...) where the module binds g exactly once, by `from <module of the tree> import g`,
          and g is bound exactly once in that module, by a module-level def
"""

import ast
import json
import os
import sys


def module_name(rel):
    parts = rel[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_of(rel):
    mod = module_name(rel)
    if rel.endswith("__init__.py"):
        return mod
    return mod.rpartition(".")[0]


def qualify(prefix_kind, prefix, name):
    if prefix is None:
        return name
    return f"{prefix}.<locals>.{name}" if prefix_kind == "function" else f"{prefix}.{name}"


def byte_offsets(source: bytes):
    starts = [0]
    for i, b in enumerate(source):
        if b == 0x0A:
            starts.append(i + 1)
    return starts


class Defs(ast.NodeVisitor):
    """Defs with their __qualname__ (module-relative) and byte span."""

    def __init__(self, rel, starts):
        self.rel = rel
        self.starts = starts
        self.stack = []  # (kind, qualname)
        self.defs = []
        self.methods = []

    def qual(self, name):
        if not self.stack:
            return name
        kind, q = self.stack[-1]
        return f"{q}.<locals>.{name}" if kind == "function" else f"{q}.{name}"

    def span(self, node):
        return (self.starts[node.lineno - 1] + node.col_offset, self.starts[node.end_lineno - 1] + node.end_col_offset)

    def visit_FunctionDef(self, node):
        q = self.qual(node.name)
        b, e = self.span(node)
        self.defs.append({"path": self.rel, "name": node.name, "line": node.lineno, "col": node.col_offset, "bstart": b, "bend": e, "qualname": q})
        if self.stack and self.stack[-1][0] == "class":
            self.methods.append({"path": self.rel, "class": self.stack[-1][1], "method": q})
        self.stack.append(("function", q))
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        q = self.qual(node.name)
        self.stack.append(("class", q))
        self.generic_visit(node)
        self.stack.pop()

    def visit_Lambda(self, node):
        self.stack.append(("function", self.qual("<lambda>")))
        self.generic_visit(node)
        self.stack.pop()


def bindings(tree):
    """name → how many times anything in the file binds it (defs, params, stores, imports, ...)."""
    count = {}

    def bump(name):
        count[name] = count.get(name, 0) + 1

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bump(node.name)
        elif isinstance(node, ast.arg):
            bump(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bump(node.id)
        elif isinstance(node, ast.alias):
            bump(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bump(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                bump(n)
    return count


def main():
    root, files = sys.argv[1], sys.argv[2:]
    trees, sources = {}, {}
    for rel in files:
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
        try:
            trees[rel] = ast.parse(data, rel)
            sources[rel] = data
        except SyntaxError:
            pass
    modules = {module_name(rel): rel for rel in trees}
    out = {"defs": [], "methods": [], "calls": []}
    top_defs = {}  # rel → {name: qualname} of module-level defs bound once in the file
    for rel, tree in trees.items():
        d = Defs(rel, byte_offsets(sources[rel]))
        d.visit(tree)
        out["defs"] += d.defs
        out["methods"] += d.methods
        count = bindings(tree)
        top_defs[rel] = {
            n.name: n.name
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and count.get(n.name) == 1
        }
    for rel, tree in trees.items():
        count = bindings(tree)
        imported = {}
        for n in tree.body:
            if isinstance(n, ast.ImportFrom) and n.module is not None:
                if n.level:
                    base = package_of(rel).split(".") if package_of(rel) else []
                    base = base[: len(base) - (n.level - 1)]
                    target = ".".join(base + [n.module]) if base else n.module
                else:
                    target = n.module
                for a in n.names:
                    bound = a.asname or a.name
                    if target in modules and count.get(bound) == 1 and a.name in top_defs[modules[target]]:
                        imported[bound] = (modules[target], a.name)
        starts = byte_offsets(sources[rel])

        def call_site(child, cls, self_name):
            f = child.func
            call = {"path": rel, "line": child.lineno, "col": child.col_offset, "bstart": starts[child.lineno - 1] + child.col_offset}
            if isinstance(f, ast.Name) and f.id in top_defs[rel]:
                return {**call, "rule": "name", "callee_path": rel, "callee": top_defs[rel][f.id]}
            if isinstance(f, ast.Name) and f.id in imported:
                p, q = imported[f.id]
                return {**call, "rule": "import", "callee_path": p, "callee": q}
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and self_name and f.value.id == self_name:
                body = cls[0].body
                defs = [b for b in body if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef)) and b.name == f.attr]
                rebound = [b for b in body if not isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.attr in bindings(ast.Module(body=[b], type_ignores=[]))]
                if len(defs) == 1 and not rebound:
                    return {**call, "rule": "self", "callee_path": rel, "callee": f"{cls[1]}.{f.attr}"}
            return None

        def walk(node, prefix_kind, prefix, cls, self_name):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    q = qualify(prefix_kind, prefix, child.name)
                    for part in child.bases + child.keywords + child.decorator_list:
                        walk(ast.Expression(body=part), prefix_kind, prefix, cls, self_name)
                    walk(ast.Module(body=child.body, type_ignores=[]), "class", q, (child, q), None)
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    q = qualify(prefix_kind, prefix, child.name)
                    is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in child.decorator_list)
                    params = child.args.posonlyargs + child.args.args
                    in_class = prefix_kind == "class" and cls is not None
                    first = params[0].arg if params else None
                    inner_self = first if in_class and not is_static and first == "self" else None
                    walk(child, "function", q, cls if in_class else None, inner_self)
                elif isinstance(child, ast.Lambda):
                    walk(child, "function", qualify(prefix_kind, prefix, "<lambda>"), None, None)
                else:
                    if isinstance(child, ast.Call):
                        site = call_site(child, cls, self_name)
                        if site is not None:
                            out["calls"].append(site)
                    walk(child, prefix_kind, prefix, cls, self_name)

        walk(tree, None, None, None, None)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
