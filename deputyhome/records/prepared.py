"""Statements built once from querysets and run again with other deputies and another period.

A duty record's figures are nine grouped querysets read as one statement (`figures.duty_figures`); building them with
the ORM and compiling them took longer than the database took to run them (4 ms of a record page's 15). The querysets
are the same for every deputy and period but for their inputs, so they are built once per database with each input
as a marker (`Input`) in a parameter of its own: the deputies' ids as one array (`id_rows`) and the period's bounds
(`OPEN`, a period whose bounds are parameters). A reading binds the markers to its values (`bind`), adapted for the
database as Django adapts a date or a timestamp it is given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField
from django.db.models.expressions import RawSQL


class Input:
    """A parameter of a statement built once, bound at each reading."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Input({self.name})"


IDS, START, END, START_AT, END_AT = (Input(name) for name in ("ids", "start", "end", "start_at", "end_at"))


def id_rows(ids: Any) -> RawSQL:
    """The deputies' ids as one parameter (an array, a JSON list): `ids` is the value (`encode_ids`) or `IDS`."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (ids,))


def encode_ids(ids: Iterable[int]) -> Any:
    return list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


class OpenPeriod:
    """A period whose bounds are parameters (what `periods.Period` gives the querysets: its days and its bounds as
    timestamps)."""

    start = RawSQL("%s", (START,), output_field=DateField())
    end = RawSQL("%s", (END,), output_field=DateField())

    def aware_bounds(self) -> tuple[RawSQL, RawSQL]:
        return RawSQL("%s", (START_AT,), output_field=DateTimeField()), RawSQL(
            "%s", (END_AT,), output_field=DateTimeField()
        )


OPEN = OpenPeriod()
_STATEMENTS: dict[tuple[str, str], tuple[str, list[Any]]] = {}


def statement(name: str, build: Callable[[], tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """The statement `name` built by `build` (with `id_rows(IDS)` and `OPEN` as its inputs) once per database."""
    key = (connection.vendor, name)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = build()
    return _STATEMENTS[key]


def bind(params: list[Any], *, ids: Iterable[int], period: Any) -> list[Any]:
    """The statement's parameters with its inputs set to `ids` and `period`'s bounds."""
    ops = connection.ops
    start_at, end_at = period.aware_bounds()
    values: dict[Input, Any] = {
        IDS: encode_ids(ids),
        START: ops.adapt_datefield_value(period.start),
        END: ops.adapt_datefield_value(period.end),
        START_AT: ops.adapt_datetimefield_value(start_at),
        END_AT: ops.adapt_datetimefield_value(end_at),
    }
    return [values[p] if isinstance(p, Input) else p for p in params]
