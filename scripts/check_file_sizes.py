#!/usr/bin/env python3
"""House rule 15: no source file over 500 lines. Lists every offender under deputyhome/ and config/
(migrations and tests excepted) as `path: N lines` and exits 1 if there is any."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500
FOLDERS = ("deputyhome", "config")


def is_exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "migrations" in parts or "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def offenders(root: Path = ROOT, limit: int = LIMIT) -> list[tuple[str, int]]:
    found = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            if is_exempt(path):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found.append((str(path.relative_to(root)), lines))
    return found


def main() -> int:
    found = offenders()
    for path, lines in found:
        print(f"{path}: {lines} lines")
    if found:
        print(f"{len(found)} file(s) over {LIMIT} lines: split them by responsibility.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
