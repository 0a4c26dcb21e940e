"""Counting rows: per key in one grouped query, for the figures a register adds to the objects of its page; or as
an annotation of each row of a list, by a correlated subquery."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, Count, F, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_by(rows: QuerySet, key: str) -> dict[Any, int]:
    """{value of `key`: how many of `rows` have it}, in one grouped query; a value without rows is not there.
    Any order the rows were given is dropped: its columns would be grouped by too."""
    return dict(rows.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n"))


def count_of(qs: QuerySet, counted: Aggregate | None = None) -> Coalesce:
    """`counted` (default: how many rows) of `qs`, a query tied to the outer row by an `OuterRef`, as an annotation;
    0 when none. A correlated subquery rather than a join: the list needs no GROUP BY, and PostgreSQL works it out
    only for the rows of a page unless the list is sorted by it. The rows are grouped by a constant (`pk * 0`), so
    the aggregate is one row whatever the query's shape."""
    counted = counted if counted is not None else Count("pk")
    grouped = qs.order_by().annotate(one=F("pk") * 0).values("one").annotate(n=counted).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))
