"""Importing the deputies' roster (代表名册) from .xlsx or .csv: read, check every row, then apply.

Three steps: reading (`roster_reading`: sheet → rows), checking (`roster_checking`: rows →
problems, or a plan per row) and applying (`roster_applying`: plans → bulk writes and one
audit batch, in one transaction). The columns and the parsing of their values are
in `roster_columns`.

The file has the shape committees keep: 姓名、性别、民族、出生年月、政治面貌、文化程度、
工作单位及职务、代表层级、选区、所在小组、联系电话、身份证号, optionally 所属乡镇 (our own
exports add it). Reading is tolerant (title rows above the header, merged cells, full-width
characters, stray spaces, many ways of writing a birth month); checking is strict.

Update semantics (what a row means)
-----------------------------------
The ID number is the key, unless the row carries 系统编号 (the deputy's row id, written by our
ledgers): then that names the deputy, and the ID number and phone may stay masked as the ledger
wrote them. A masked value is never written; it must be the mask of the stored value, and a full
ID number must be the stored one (the import never changes an ID number or a name). For every row:

* ID number not in the database → **create**: a new deputy, one mandate per level in
  代表层级 (in the current congress of that level; for 乡 the congress of the group's
  township), starting on the congress's start date (today if it has none), and a
  membership of 所在小组 starting today with the role 组员.
* ID number in the database under the same name → compared field by field with the
  stored deputy, their mandates in the resolved congresses and their current group.
  Identical → **unchanged** (nothing is written); different → **update**: changed personal
  fields are updated, a missing mandate is added, a changed 选区 is corrected, and a new
  group ends the current membership yesterday and starts a new one today as 组员.
  Values are compared after the same normalisation the import applies (NFKC, spaces), a
  birth month without a day matches any day of that month, and a column that is absent
  from the file is not compared at all (an empty cell in a present column does mean
  "empty", and the preview shows such a value being cleared). So exporting the deputies ledger (masked or
  full) and importing it again changes nothing.
* ID number in the database under another name → error ("身份证号已属于代表 X").
* The same ID number twice in the file → error on the later row.

The import never ends a mandate or removes anyone: a deputy who currently holds a
mandate at a level the row does not list is an error, to be handled on the deputy's page
(ending a mandate needs a reason and a date). 所在小组 is required: every deputy enters a
home and a station (进家入站), and the group decides the township and so the scope.

选区 is one text for all the row's levels, or per level as "市：第3选区；乡：第5选区"
(what the export writes when a deputy's constituencies differ).

All or nothing: every row is checked first; if any row has a problem nothing is written
and every problem is reported as (row as numbered in the spreadsheet, column, message).
The apply step checks again inside its transaction, because the database may have changed
since the preview, and writes in bulk (`roster_applying`): one audit row `roster.import` with
the counts, and one item per deputy changed under it, hash-chained with it.
"""

from __future__ import annotations

from .roster_checking import Issue, RosterResult, RowPlan, check_table
from .roster_columns import (
    IMPORT_HEADERS,
    LEDGER_HEADERS,
    BirthDateError,
    clean_name,
    clean_text,
    current_levels,
    format_birth,
    format_constituency,
    format_levels,
    match_header,
    parse_birth,
    parse_constituency,
    parse_levels,
)
from .roster_reading import RosterFileError, read_table
from .services.roster_import import roster_import

# The names the views, the ledgers and the tests import from here; they live in the step that owns them (the import's
# one write, `roster_import`, in the services).
__all__ = [
    "IMPORT_HEADERS",
    "LEDGER_HEADERS",
    "BirthDateError",
    "Issue",
    "RosterFileError",
    "RosterResult",
    "RowPlan",
    "clean_name",
    "clean_text",
    "current_levels",
    "format_birth",
    "format_constituency",
    "format_levels",
    "match_header",
    "parse_birth",
    "parse_constituency",
    "parse_levels",
    "read_table",
    "roster_import",
    "roster_preview",
]


def roster_preview(*, content: bytes, filename: str, actor) -> RosterResult:
    """Read and check a roster file; nothing is written."""
    try:
        table = read_table(content, filename)
    except RosterFileError as exc:
        return RosterResult(filename=filename, file_error=str(exc))
    return check_table(table, actor=actor, filename=filename)
