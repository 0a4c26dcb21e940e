"""Rules of the house that a reader would otherwise have to keep by habit (docs/architecture.md, "Rules of the house").

Others are checked elsewhere: the layers (test_layers.py), file sizes (scripts/check_file_sizes.py), type hints on
services and selectors (ruff's ANN rules, pyproject.toml: which files they reach is tested here), the migrations'
check (`make test`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

import deputyhome

# The menu bar's own vocabulary: the sections of a menu, never a status stored on a row.
NOT_A_STATUS = {"deputyhome.core.menu.Menu"}


def _modules() -> list:
    """Every module of deputyhome but the tests and the migrations, imported."""
    names = (
        info.name
        for info in pkgutil.walk_packages(deputyhome.__path__, "deputyhome.")
        if not re.search(r"\.(tests|migrations)(\.|$)|\.conftest$|\.testing", info.name)
    )
    return [importlib.import_module(name) for name in names]


def choices_out_of_place(modules: list) -> list[str]:
    """The choices classes defined outside a `choices` module, and those with a label gettext does not translate."""
    found = []
    for module in modules:
        for name, obj in vars(module).items():
            if not (inspect.isclass(obj) and issubclass(obj, models.Choices) and obj.__module__ == module.__name__):
                continue
            where = f"{module.__name__}.{name}"
            if not module.__name__.endswith(".choices") and where not in NOT_A_STATUS:
                found.append(f"{where}: not in a choices.py")
            plain = [member.name for member in obj if not isinstance(member.label, Promise)]
            if plain:
                found.append(f"{where}: labels without gettext_lazy: {', '.join(plain)}")
    return found


def test_statuses_are_choices_in_choices_py_with_translated_labels():
    assert choices_out_of_place(_modules()) == []


def test_the_choices_check_sees_a_misplaced_class_and_a_plain_label():
    module = type(importlib)("deputyhome.somewhere.models")

    class Kind(models.TextChoices):
        ONE = "one", "一"

    Kind.__module__ = module.__name__
    module.Kind = Kind
    assert choices_out_of_place([module]) == [
        "deputyhome.somewhere.models.Kind: not in a choices.py",
        "deputyhome.somewhere.models.Kind: labels without gettext_lazy: ONE",
    ]


def test_every_model_has_a_docstring_of_its_own():
    # Django gives a model without one a docstring of its fields: "Deputy(id, name, ...)".
    bare = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("deputyhome.")
        and (not model.__dict__.get("__doc__") or model.__doc__.startswith(f"{model.__name__}("))
    ]
    assert bare == []


def test_every_migration_is_named():
    root = Path(deputyhome.__file__).parent
    auto = [str(path.relative_to(root)) for path in root.glob("*/migrations/0*_auto_*.py")]
    assert auto == []


# Transactions opened outside a services module, each for a reason: the demo and the bench are built in them; the
# throttle counts a use inside the transaction of the write it guards; an export is a read whose audit row is written
# with its file (the export views of `core.exports`, and the ledgers' for the commands and the bench), and the scores
# export's first opening of a year saves the year's default scheme (through a service, audited); a year's default
# scheme is made in a savepoint that another request may have beaten (`core.schemes`); a backup and its restore are
# the whole database's (`core.backup`); the test run's snapshots are the suite's own.
ATOMIC_ELSEWHERE = {  # "path:function", or a pattern of them (fnmatch)
    "demo/*",
    "opinions/throttle.py:take",
    "core/exports.py:wrapper",
    "deputies/ledgers.py:ledger_export",
    "supervision/exports.py:scores_file",
    "core/schemes.py:scheme_for_year",
    "core/backup.py:create_backup",
    "core/backup.py:restore_backup",
    "testing_snapshots.py:*",
}


def _in_services(path: Path) -> bool:
    """A services module (`services.py`, `…_services.py`) or a module of a `services` package."""
    return path.parent.name == "services" or re.fullmatch(r"(\w+_)?services(_\w+)?", path.stem) is not None


def _opens_atomic(node: ast.AST) -> bool:
    """`@transaction.atomic` (or `@atomic`) on a function, or `with transaction.atomic(…):` in it."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return any(ast.unparse(d).split("(")[0].endswith("atomic") for d in node.decorator_list)
    if isinstance(node, ast.With | ast.AsyncWith):
        return any(
            isinstance(item.context_expr, ast.Call) and ast.unparse(item.context_expr.func).endswith("atomic")
            for item in node.items
        )
    return False


def _functions_opening_atomic(tree: ast.AST) -> list[str]:
    """The functions that open a transaction, by decorator or by a `with` block in their own body (a `with` block
    in a nested function is the nested function's)."""
    found: list[str] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if _opens_atomic(child) and inner and inner not in found:
                found.append(inner)
            visit(child, inner)

    visit(tree, "")
    return found


def atomic_outside_services(root: Path) -> list[str]:
    """The functions that open a transaction (`@transaction.atomic`, `with transaction.atomic():`) outside a
    services module (tests and migrations aside)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if {"tests", "migrations"} & set(relative.parts) or _in_services(path):
            continue
        for name in _functions_opening_atomic(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{relative}:{name}")
    return [where for where in found if not any(fnmatch(where, allowed) for allowed in ATOMIC_ELSEWHERE)]


def test_transactions_are_opened_by_services():
    """Rule 1: every write goes through a service. A function that opens its transaction is one: it lives in a
    services module or package, where a newcomer looks for the writes and the type-hint rule reaches it."""
    assert atomic_outside_services(Path(deputyhome.__file__).parent) == []


def test_the_services_check_sees_a_transaction_in_a_views_module(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("@transaction.atomic\ndef thing_save(*, thing):\n    pass\n")
    (tmp_path / "app" / "services.py").write_text("@transaction.atomic\ndef thing_make(*, thing):\n    pass\n")
    (tmp_path / "app" / "calendar_services.py").write_text("@atomic\ndef day_set(*, day):\n    pass\n")
    (tmp_path / "app" / "forms.py").write_text(
        "def page(request):\n"
        "    def act():\n"
        "        with transaction.atomic(using='default'), other():\n"
        "            thing_save(thing=1)\n"
        "    return act\n"
        "@transaction.atomic()\ndef thing_move(*, thing):\n    pass\n"
    )
    assert atomic_outside_services(tmp_path) == [
        "app/forms.py:act",
        "app/forms.py:thing_move",
        "app/views.py:thing_save",
    ]


UNANNOTATED = "def thing_make(thing):\n    return thing\n"


def _ruff_reports(path: str) -> bool:
    """Whether `make test`'s ruff, with the project's settings, reports an unannotated function at `path`."""
    root = Path(deputyhome.__file__).parent.parent
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--no-cache", "--output-format", "concise", "--stdin-filename", path, "-"],
        input=UNANNOTATED,
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    return "ANN001" in done.stdout


def test_the_type_hint_rule_reaches_every_services_and_selectors_module():
    """The rule "type hints on services and selectors" is ruff's, for the files pyproject.toml names. Its first pattern
    named `services.py` nowhere (a brace with an empty choice matches nothing in ruff's globs): only `…_services.py`
    was held to it. Each way such a module is named is checked here, and that views, forms and tests stay free."""
    held = [
        "deputyhome/app/services.py",
        "deputyhome/app/selectors.py",
        "deputyhome/app/services/thing.py",
        "deputyhome/app/selectors/thing.py",
        "deputyhome/app/login_services.py",
        "deputyhome/app/congress_selectors.py",
        "deputyhome/app/selectors_figures.py",
    ]
    free = ["deputyhome/app/views.py", "deputyhome/app/forms.py", "deputyhome/app/tests/test_services.py"]
    assert {path: _ruff_reports(path) for path in held + free} == {path: path in held for path in held + free}
