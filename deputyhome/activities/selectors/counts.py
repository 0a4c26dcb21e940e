"""The count of related rows as an annotation (a correlated subquery, so no GROUP BY on the list)."""

from __future__ import annotations

from django.db.models import Aggregate, Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(qs: QuerySet, key: str, counted: Aggregate | None = None) -> Coalesce:
    """`counted` (default: the rows) of `qs` grouped by `key`, the field that points at the outer row; 0 when none."""
    counted = counted if counted is not None else Count("pk")
    return Coalesce(
        Subquery(qs.order_by().values(key).annotate(n=counted).values("n"), output_field=IntegerField()),
        Value(0),
    )
