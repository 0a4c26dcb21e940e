"""The roster import's write (`deputies.roster` tells the whole import): the file read and checked again, then, if
every row is valid, applied in one transaction with its audit batch (`roster_applying`); all or nothing."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, transaction

from ..roster_applying import ApplyFailed, apply_plans
from ..roster_checking import RosterResult, check_table
from ..roster_reading import RosterFileError, read_table


def roster_import(*, content: bytes, filename: str, actor: Any) -> RosterResult:
    """Check the file again and, if every row is valid, apply it in one transaction."""
    try:
        table = read_table(content, filename)
    except RosterFileError as exc:
        return RosterResult(filename=filename, file_error=str(exc))
    try:
        with transaction.atomic():
            result = check_table(table, actor=actor, filename=filename)
            if not result.ok:
                return result
            apply_plans(result, actor=actor)
            result.applied = True
            return result
    except ApplyFailed as exc:
        return RosterResult(filename=filename, issues=[exc.issue])
    except DatabaseError:
        message = "数据库拒绝了这次导入（可能有人同时修改了其中的代表），没有写入任何数据，请重新导入。"
        return RosterResult(filename=filename, file_error=message)
