"""The house rules of docs/architecture.md, checked on the source: which app may import which,
no import circles between files, and no import tucked inside a function to dodge one.

Imports are read with `ast` from the files themselves (nothing is imported), so a rule broken in
a module that no test loads still fails here.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import only the apps listed for it (docs/architecture.md, "Layers").
ALLOWED = {
    "portal": set(),
    "contacts": {"portal"},
    "referrals": {"portal", "contacts"},
    "escalations": {"portal", "contacts", "referrals"},
    "agenda": {"portal", "contacts", "referrals"},
    "reporting": {"portal", "contacts", "referrals", "escalations", "agenda"},
    "security": {"portal", "contacts", "referrals", "escalations", "agenda", "reporting"},
}
APPS = tuple(ALLOWED)
# A function-level import of the project's own code needs a reason on its line or the line
# above (a comment), e.g. start-up cost or Django's app loading; never "to avoid a circle".
LAZY_MARK = "#"


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def _resolve(module, node):
    """The absolute dotted names an import node brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if not _is_package(module):
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
        base = ".".join([*package, base]) if base else ".".join(package)
    names = [base]
    names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def _is_package(module):
    return (ROOT / Path(*module.split(".")) / "__init__.py").exists()


class _Imports(ast.NodeVisitor):
    """Collects module-level imports and imports inside functions; for the latter also the line
    where their block of consecutive import statements starts (the reason may stand above it)."""

    def __init__(self):
        self.top, self.nested = [], []
        self.block_start = {}
        self._depth = 0

    def _function(self, node):
        self._depth += 1
        start = None
        for statement in node.body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                start = start or statement.lineno
                self.block_start[statement] = start
            else:
                start = None
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def _import(self, node):
        (self.nested if self._depth else self.top).append(node)

    visit_Import = visit_ImportFrom = _import


def _project(names, modules):
    """The project modules among `names` (a `from a import b` names module a.b or a)."""
    found = set()
    for name in names:
        while name:
            if name in modules:
                found.add(name)
                break
            name = name.rpartition(".")[0]
    return found


@pytest.fixture(scope="module")
def graph():
    files = list(_source_files())
    modules = {_module_name(path): (app, path) for app, path in files}
    edges = defaultdict(set)
    nested = []
    for module, (_app, path) in modules.items():
        source = path.read_text()
        visitor = _Imports()
        visitor.visit(ast.parse(source))
        lines = source.splitlines()
        for node in visitor.top + visitor.nested:
            targets = _project(_resolve(module, node), modules) - {module}
            edges[module] |= targets
            if node in visitor.nested and targets:
                own = lines[node.lineno - 1 : node.end_lineno]
                start = visitor.block_start.get(node, node.lineno)
                above = lines[start - 2].strip() if start > 1 else ""
                if not any(LAZY_MARK in line for line in own) and not above.startswith(LAZY_MARK):
                    nested.append(f"{path.relative_to(ROOT)}:{node.lineno}: {own[0].strip()}")
    return modules, edges, nested


def test_apps_import_only_the_apps_below_them(graph):
    modules, edges, _nested = graph
    wrong = []
    for module, targets in edges.items():
        app = modules[module][0]
        for target in targets:
            other = modules[target][0]
            if other != app and other not in ALLOWED[app]:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layers of docs/architecture.md:\n" + "\n".join(sorted(wrong))


def test_portal_imports_no_domain_app(graph):
    modules, edges, _nested = graph
    upward = sorted(
        f"{m} -> {t}"
        for m, targets in edges.items()
        if modules[m][0] == "portal"
        for t in targets
        if modules[t][0] != "portal"
    )
    assert upward == []


def test_no_import_circles_between_apps(graph):
    modules, edges, _nested = graph
    app_edges = defaultdict(set)
    for module, targets in edges.items():
        for target in targets:
            if modules[module][0] != modules[target][0]:
                app_edges[modules[module][0]].add(modules[target][0])
    assert _cycles(app_edges) == []


def test_no_import_circles_between_files(graph):
    _modules, edges, _nested = graph
    # A package's __init__ re-exporting its own submodules is not a circle of the code.
    plain = {
        m: {t for t in targets if not (t.startswith(m + ".") and _is_package(m))}
        for m, targets in edges.items()
    }
    assert _cycles(plain) == []


def test_imports_inside_functions_say_why(graph):
    _modules, _edges, nested = graph
    assert nested == [], (
        "imports of project code inside a function without a comment saying why:\n" + "\n".join(nested)
    )


def test_the_checker_sees_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _cycles(edges):
    """Strongly connected components with more than one member (Tarjan), each sorted."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(result)
