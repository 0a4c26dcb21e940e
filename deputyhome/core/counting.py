"""Counting rows per key in one grouped query, for the figures a register adds to the objects of its page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet


def count_by(rows: QuerySet, key: str) -> dict[Any, int]:
    """{value of `key`: how many of `rows` have it}, in one grouped query; a value without rows is not there.
    Any order the rows were given is dropped: its columns would be grouped by too."""
    return dict(rows.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n"))
