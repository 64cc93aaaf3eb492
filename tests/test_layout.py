"""The package's layout rules: no import circles, no lazy imports of our own modules, domain never imports
presentation, CKAN reached through its toolkit where the toolkit has it."""

from __future__ import annotations

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ckanext" / "solok"
#: Modules that present (pages, template helpers, plugin wiring); no other module may import them.
PRESENTATION = re.compile(r"^ckanext\.solok\.(plugin|cli|.*\.views|.*\.helpers|.*\.wiring|.*\.plugin)$")


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, pathlib.Path]:
    return {
        _module_name(p): p
        for p in PACKAGE.rglob("*.py")
        if "migration" not in p.relative_to(PACKAGE).parts[:1] or p.name == "alembic_env.py"
    }


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(lazy: bool = False) -> dict[str, set[str]]:
    """``{module: {imported ckanext.solok modules}}``; with ``lazy``, only imports inside functions."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = {
            id(n)
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in ast.walk(f)
            if n is not f
        }
        for node in ast.walk(tree):
            if (id(node) in inside) != lazy:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve(name, node, path.name == "__init__.py")
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("ckanext.solok"):
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_another_that_imports_it_back():
    # Imports inside functions count too: a lazy import hides a circle, it does not remove it.
    graph = imports()
    for name, targets in imports(lazy=True).items():
        graph[name] |= targets
    assert _cycles(graph) == []


def test_no_lazy_imports_of_our_own_modules():
    assert {m: sorted(t) for m, t in imports(lazy=True).items() if t} == {}


def test_domain_code_never_imports_presentation_code():
    wrong = {
        (m, t)
        for m, targets in imports().items()
        for t in targets
        if PRESENTATION.match(t) and not PRESENTATION.match(m)
    }
    assert wrong == set()


def test_ckan_is_reached_through_the_toolkit_where_it_can_be():
    # The toolkit offers config, _, asbool, mail_recipient, missing, StopOnError and config declarations.
    offered = re.compile(
        r"from ckan\.common import|ckan\.lib\.mailer|ckan\.lib\.navl|ckan\.config\.declaration|LicenseRegister\(\)"
    )
    found = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in PACKAGE.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if offered.search(line)
    ]
    assert found == []


def _readme_map() -> dict[str, set[str]]:
    """``{folder: {module file names}}`` of the README's "Where things are" map of ``ckanext/solok/``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Where things are", 1)[1].split("```", 2)[1]
    named: dict[str, set[str]] = {}
    folder = None
    for line in block.splitlines():
        if line.startswith("ckanext/solok/"):
            folder = ""
        elif folder is not None and not line.startswith("  "):
            break  # the lines after the package
        elif folder is not None:
            top = re.match(r"^  (\w+)/", line)
            if top:
                folder = top.group(1)
            elif re.match(r"^  \S", line):
                folder = ""
            named.setdefault(folder, set()).update(re.findall(r"\b\w+\.py\b", line))
    return named


def test_the_readmes_map_matches_the_tree():
    named = _readme_map()
    actual: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] == "migration" or path.name == "__init__.py":
            continue
        actual.setdefault(parts[0] if len(parts) > 1 else "", set()).add(path.name)
    assert {k: v for k, v in named.items() if v} == actual
