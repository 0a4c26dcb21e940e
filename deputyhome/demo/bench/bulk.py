"""Writing bench rows fast: bulk inserts in big batches from iterables, keeping the dates the generator chose."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator

from django.db import models
from django.utils import timezone

BATCH = 5_000


def _auto_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField | models.DateField) and (f.auto_now or f.auto_now_add)
    ]


@contextlib.contextmanager
def given_times(model: type[models.Model]) -> Iterator[list[str]]:
    """Let rows keep the creation and change times the generator gave them (auto_now / auto_now_add
    would stamp every bench row with the moment it was built, five years of history on one day)."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in _auto_fields(model)]
    for f, _now, _add in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield [f.attname for f, _now, _add in saved]
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _stamped(names: list[str], chunk: list[models.Model]) -> list[models.Model]:
    """Rows without a time of their own get now, as auto_now would have given them."""
    if names:
        now = timezone.now()
        for obj in chunk:
            for name in names:
                if getattr(obj, name) is None:
                    setattr(obj, name, now)
    return chunk


def insert(model: type[models.Model], rows: Iterable[models.Model], *, batch: int = BATCH) -> list[models.Model]:
    """bulk_create `rows` batch by batch; the created objects (with their keys) in order."""
    out: list[models.Model] = []
    it = iter(rows)
    with given_times(model) as names:
        while chunk := list(itertools.islice(it, batch)):
            out.extend(model.objects.bulk_create(_stamped(names, chunk), batch_size=batch))
    return out


def insert_count(model: type[models.Model], rows: Iterable[models.Model], *, batch: int = BATCH) -> int:
    """bulk_create `rows` batch by batch without keeping them (for the largest tables); how many."""
    n = 0
    it = iter(rows)
    with given_times(model) as names:
        while chunk := list(itertools.islice(it, batch)):
            model.objects.bulk_create(_stamped(names, chunk), batch_size=batch)
            n += len(chunk)
    return n
