"""docs/security.md names real files and real tests: every control's code and test can be found.

In the tables, a test is written `path/test_x.py::test_name` and the next ones of the same file `::test_name`;
paths are relative to the project, to `deputyhome/` or to `templates/`, or a bare file name when it is unique
enough to find. Each named file must exist and each named test must be defined in it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "security.md"
TOKEN = re.compile(r"`([^`]+)`")
TEST = re.compile(r"^([\w./]+\.py)::(\w+)$")
MORE = re.compile(r"^::(\w+)$")
FILE = re.compile(r"^[\w./-]+\.(py|html|conf|js|css)$")


def _candidates(path: str) -> list[Path]:
    found = [base / path for base in (ROOT, ROOT / "deputyhome", ROOT / "templates") if (base / path).is_file()]
    if not found and "/" not in path:
        found = sorted(p for p in (ROOT / "deputyhome").rglob(path) if p.is_file())
    if not found and "/" in path:  # a path inside an app's folder written from the app, e.g. tests/test_x.py
        found = sorted(p for p in (ROOT / "deputyhome").rglob(Path(path).name) if str(p).endswith(path))
    return found


def _defines(files: list[Path], name: str) -> bool:
    pattern = re.compile(rf"^(async )?def {name}\(", re.MULTILINE)
    return any(pattern.search(f.read_text(encoding="utf-8")) for f in files)


def references() -> tuple[list[str], int]:
    """The problems found, and how many tests were checked."""
    problems: list[str] = []
    checked = 0
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), start=1):
        current: list[Path] = []
        for token in TOKEN.findall(line):
            if m := TEST.match(token):
                current = _candidates(m[1])
                checked += 1
                if not current:
                    problems.append(f"line {number}: no file {m[1]}")
                elif not _defines(current, m[2]):
                    problems.append(f"line {number}: {m[1]} defines no {m[2]}")
            elif m := MORE.match(token):
                checked += 1
                if not current:
                    problems.append(f"line {number}: ::{m[1]} without a file before it")
                elif not _defines(current, m[1]):
                    problems.append(f"line {number}: {current[0].relative_to(ROOT)} defines no {m[1]}")
            elif FILE.match(token):
                found = _candidates(token)
                if not found:
                    problems.append(f"line {number}: no file {token}")
                elif token.endswith(".py") and "/tests/" in f"/{token}":
                    current = found
    return problems, checked


def test_every_file_and_test_named_in_the_security_doc_exists():
    problems, checked = references()
    assert checked > 100
    assert problems == [], "\n".join(problems)
