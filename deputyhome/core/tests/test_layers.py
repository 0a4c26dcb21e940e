"""Imports point one way: every module under deputyhome/ is parsed and each import checked against the layers.

Lowest first; a module may import its own app and anything lower, never anything higher, and no two
modules may import each other round a cycle (DESIGN.md, "Imports point one way"). Every import counts:
at the top, inside functions and under TYPE_CHECKING, because each of them is a dependency a reader has
to know about. Tests (and the test helpers) may import anything and are not checked.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = "deputyhome"

# Lowest first. Apps on one line are peers: neither may import the other. The audit trail is the floor (every write
# of every app records into it, core's services included); core stands on it and imports nothing from any app above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("audit",),
    ("core",),
    ("figures",),
    ("accounts",),
    ("notifications",),
    ("organisation",),
    ("deputies",),
    ("suggestions",),
    ("motions",),
    ("activities",),
    ("opinions",),
    ("training",),
    ("supervision", "records"),
    ("reports",),
    ("demo",),
)
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

# Violations in files other branches are changing; emptied when those are merged. (importing file, module)
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    path: str  # relative to the repository root
    line: int
    module: str  # the deputyhome module imported


def app_of(module: str) -> str | None:
    """The layer a dotted module belongs to: its app, with the demo builder wherever it lives."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    if parts[1:3] == ["core", "demo"]:
        return "demo"
    return parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_checked(path: Path) -> bool:
    """Production modules only: no migrations, no tests, no test helpers."""
    parts = path.relative_to(ROOT).parts
    name = parts[-1]
    return not (
        "migrations" in parts or "tests" in parts or name.startswith("test_") or name in ("conftest.py", "testing.py")
    )


def _resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_in(
    source: str, module: str, *, is_package: bool = False, exists: Callable[[str], bool] | None = None
) -> Iterator[tuple[int, str]]:
    """(line, imported deputyhome module) for every import in the source, wherever it stands.

    `from a import b` counts as importing `a.b` when that is a module (`exists` says so), else `a`;
    `importlib.import_module("deputyhome....")` with a literal name counts too.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node, module, is_package)
            if target != PACKAGE and not target.startswith(PACKAGE + "."):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield node.lineno, sub if exists and exists(sub) else target
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith(PACKAGE + ".")
        ):
            yield node.lineno, node.args[0].value


def violation(importer: str, imported: str) -> str | None:
    """Why importing `imported` from `importer` goes against the layers, or None when it does not."""
    low, high = app_of(importer), app_of(imported)
    if low is None or high is None or low == high:
        return None
    if high not in RANK:
        return f"unknown app {high}"
    if RANK[high] < RANK[low]:
        return None
    kind = "peer" if RANK[high] == RANK[low] else "higher layer"
    return f"layer {low} -> {kind} {high}"


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py")) if is_checked(p)}


def all_imports(found: dict[str, Path]) -> list[Import]:
    every = {module_name(p) for p in (ROOT / PACKAGE).rglob("*.py")}
    out: dict[Import, None] = {}  # ordered, without the repeats of `from x import a, b`
    for module, path in found.items():
        source = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        for line, imported in imports_in(
            source, module, is_package=path.name == "__init__.py", exists=every.__contains__
        ):
            out[Import(rel, line, imported)] = None
    return list(out)


def layer_violations(imports: Iterable[Import]) -> list[tuple[Import, str]]:
    out = []
    for imp in imports:
        why = violation(module_name(ROOT / imp.path), imp.module)
        if why:
            out.append((imp, why))
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def import_graph(imports: Iterable[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in imports:
        importer = module_name(ROOT / imp.path)
        if imp.module != importer:
            edges.setdefault(importer, set()).add(imp.module)
    return edges


def test_imports_point_one_way():
    found = layer_violations(all_imports(modules()))
    new = [(imp, why) for imp, why in found if (imp.path, imp.module) not in KNOWN_VIOLATIONS]
    report = "\n".join(f"{imp.path}:{imp.line} imports {imp.module} ({why})" for imp, why in new)
    assert not new, f"imports against the layers ({len(new)}):\n{report}"


def test_known_violations_are_still_there():
    """An entry fixed elsewhere must leave the list, or it would hide its return."""
    found = {(imp.path, imp.module) for imp, _ in layer_violations(all_imports(modules()))}
    assert not KNOWN_VIOLATIONS - found, sorted(KNOWN_VIOLATIONS - found)


def test_no_import_cycles():
    found = cycles(import_graph(all_imports(modules())))
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_a_domain_import_in_core_is_reported():
    source = "from django.db import models\n\ndef f():\n    from deputyhome.suggestions.models import Suggestion\n"
    imports = [
        Import("deputyhome/core/widgets.py", line, module)
        for line, module in imports_in(source, "deputyhome.core.widgets")
    ]
    found = layer_violations(imports)
    assert [(imp.line, imp.module, why) for imp, why in found] == [
        (4, "deputyhome.suggestions.models", "layer core -> higher layer suggestions")
    ]


def test_core_uses_the_audit_trail_and_nothing_above_it():
    """Not even the roles: a page of core that depends on one asks the user (`user.is_system_admin`), and the apps
    hand core their menu entries; the audit trail uses nothing of core."""
    core = (
        "from deputyhome.audit.services import record\n"
        "from ..audit import models\n"
        "from deputyhome.accounts.choices import Role\n"
        "from deputyhome.accounts.models import User\n"
    )
    imports = [
        Import("deputyhome/core/widgets.py", line, module)
        for line, module in imports_in(core, "deputyhome.core.widgets")
    ]
    imports += [
        Import("deputyhome/audit/labels.py", line, module)
        for line, module in imports_in("from deputyhome.core.exports import ExportKind\n", "deputyhome.audit.labels")
    ]
    assert [(imp.path, imp.line, why) for imp, why in layer_violations(imports)] == [
        ("deputyhome/core/widgets.py", 3, "layer core -> higher layer accounts"),
        ("deputyhome/core/widgets.py", 4, "layer core -> higher layer accounts"),
        ("deputyhome/audit/labels.py", 1, "layer audit -> higher layer core"),
    ]


def test_no_cycles_between_apps():
    """The apps' own graph (an arrow from an app to each app it imports) has no cycle either: with the layers this
    follows from `test_imports_point_one_way`; it is checked on its own so that a wrong layer list cannot hide one."""
    apps: dict[str, set[str]] = {}
    for imp in all_imports(modules()):
        low, high = app_of(module_name(ROOT / imp.path)), app_of(imp.module)
        if low and high and low != high:
            apps.setdefault(low, set()).add(high)
    found = cycles(apps)
    assert not found, "cycles between apps:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_lower_imports_relative_imports_and_peers():
    source = (
        "from deputyhome.suggestions.models import Suggestion\n"  # lower: fine
        "from . import figures\n"  # own app: fine
        "from deputyhome.supervision import scoring\n"  # a peer: refused
        "from deputyhome.core.demo import data\n"  # the demo, above everything
        "import importlib\nimportlib.import_module('deputyhome.reports.selectors')\n"
    )
    imports = [
        Import("deputyhome/records/views.py", line, module)
        for line, module in imports_in(source, "deputyhome.records.views")
    ]
    assert [(imp.line, why) for imp, why in layer_violations(imports)] == [
        (3, "layer records -> peer supervision"),
        (4, "layer records -> higher layer demo"),
        (6, "layer records -> higher layer reports"),
    ]


def test_a_cycle_is_found():
    edges = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}
    assert cycles(edges) == [["a.x", "a.y", "a.z"]]


def test_a_cycle_through_a_function_level_import_is_found():
    """records/figures.py <-> records/sources.py was one: a top-level import one way, TYPE_CHECKING back."""
    figures = "from . import sources\n"
    sources = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .figures import Period\n"
    every = {"deputyhome.records.figures", "deputyhome.records.sources"}.__contains__
    edges: dict[str, set[str]] = {}
    for module, source in (("deputyhome.records.figures", figures), ("deputyhome.records.sources", sources)):
        edges[module] = {imported for _, imported in imports_in(source, module, exists=every)}
    assert cycles(edges) == [["deputyhome.records.figures", "deputyhome.records.sources"]]
