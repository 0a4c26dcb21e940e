"""Lists computed as ids (from a snapshot, or counted and filtered in Python) and paginated: a page reads its rows by
id in one query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet


class ByIds(Sequence):
    """The rows of `queryset` with the ids `ids`, in that order, read a page at a time (what a paginator slices); a
    row deleted since is left out of its page."""

    ordered = True  # the paginator's check for an unordered list

    def __init__(self, queryset: QuerySet, ids: Sequence[int]) -> None:
        self.queryset = queryset
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # type: ignore[override]  # what a paginator asks
        return len(self.ids)

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = list(self.ids[index])
        found = self.queryset.in_bulk(wanted)
        return [found[pk] for pk in wanted if pk in found]
