"""Figures computed ahead: register a computation once, read it through `get`, refresh it on a schedule.

A figure is a function of a key (a string naming its scope and year, e.g. "14:2026") returning JSON-able data. `get`
serves the stored snapshot unless an audit event on one of the figure's source apps has been recorded since the
computation began (every write records one in its own transaction, so the audit log says what changed), and
recomputes it otherwise. Within `FIGURES_GRACE_SECONDS` of a computation a snapshot is served even if changed: at
province scale writes arrive every few seconds, and a city-wide yearly figure need not follow each one; the page
shows when it was computed. `manage.py refresh_figures`, run by the scheduler, recomputes what changed and the keys
each figure names to keep warm, so that readers seldom wait for a computation.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from deputyhome.audit.models import AuditEvent

from .models import FigureSnapshot


@dataclass(frozen=True)
class Figure:
    name: str
    compute: Callable[[str], Any]
    depends: tuple[str, ...]  # app labels: a change to an object of one of them makes the snapshot stale
    warm: Callable[[], Iterable[str]] | None = None  # the keys the scheduled refresh keeps computed
    daily: bool = False  # the figure depends on the day (overdue counts, "as of" today): stale on another day
    # Whether the scheduled refresh recomputes every stored snapshot gone stale, or only the keys it keeps warm: a
    # figure stored per scope (a township's, a group's) is computed again when it is next read, not for every scope
    # that ever read one (a province has thousands).
    refresh_stored: bool = True
    # The shape of the value. Whoever changes what `compute` returns (a key added, renamed or of another type) raises
    # it: a snapshot stored under another version is stale whatever the audit log says, so no reader gets the old shape.
    version: int = 1


@dataclass(frozen=True)
class Result:
    value: Any
    computed_at: datetime
    seconds: float  # how long the computation took
    computed_now: bool


REGISTRY: dict[str, Figure] = {}


def precomputed(
    name: str,
    *,
    depends: Iterable[str],
    warm: Callable[[], Iterable[str]] | None = None,
    daily: bool = False,
    refresh_stored: bool = True,
    version: int = 1,
) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    """Register `compute(key)` as the figure `name` (decorator); the function itself is left as it is."""

    def register(compute: Callable[[str], Any]) -> Callable[[str], Any]:
        REGISTRY[name] = Figure(
            name=name,
            compute=compute,
            depends=tuple(depends),
            warm=warm,
            daily=daily,
            refresh_stored=refresh_stored,
            version=version,
        )
        return compute

    return register


def get(name: str, key: str, *, grace: float | None = None) -> Result:
    """The figure `name` for `key`: the stored snapshot while its sources are unchanged, else computed now.
    `grace`: seconds a changed snapshot is still served (default `FIGURES_GRACE_SECONDS`; 0 for a figure whose
    readers must see their own writes at once)."""
    figure = REGISTRY[name]
    snapshot = FigureSnapshot.objects.filter(name=name, key=key).first()
    grace = settings.FIGURES_GRACE_SECONDS if grace is None else grace
    if snapshot is not None and not is_stale(snapshot, figure, grace=grace):
        return Result(snapshot.value, snapshot.computed_at, snapshot.seconds, computed_now=False)
    return compute(figure, key)


def stamped(name: str, key: str, *, grace: float | None = None) -> dict[str, Any]:
    """A figure whose value is a dict, as a new dict with `computed_at` added (for the page's stamp and the API)."""
    result = get(name, key, grace=grace)
    return dict(result.value) | {"computed_at": result.computed_at}


def is_stale(snapshot: FigureSnapshot, figure: Figure, *, grace: float = 0) -> bool:
    if snapshot.version != figure.version:
        return True  # stored in another shape: never served, whatever the grace
    if figure.daily and timezone.localdate(snapshot.computed_at) != timezone.localdate():
        return True
    if grace and (timezone.now() - snapshot.computed_at).total_seconds() < grace:
        return False
    return changed_since(snapshot.as_of_event, figure.depends)


# Audit events on an object that change nothing: a read of its personal data (a deputy's ID number shown, an
# edit form opened). Counted as changes, every such read made the city's figures stale.
READ_ACTIONS = ("personal_data.reveal",)


def changed_since(event_id: int, apps: Iterable[str]) -> bool:
    """Whether a successful audit event that changed an object of one of `apps` came after the event `event_id`."""
    touched = Q()
    for app in apps:
        touched |= Q(object_type__startswith=f"{app}.")
    events = AuditEvent.objects.filter(touched, pk__gt=event_id, success=True)
    return events.exclude(action__in=READ_ACTIONS).exists()


def compute(figure: Figure, key: str) -> Result:
    """Compute the figure for `key` and store it (one upsert, safe when two readers compute at once)."""
    as_of = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started = time.perf_counter()
    # Through JSON and back, so that a computed value and a stored one read the same (dates as strings, etc.).
    value = json.loads(json.dumps(figure.compute(key), cls=DjangoJSONEncoder))
    seconds = time.perf_counter() - started
    now = timezone.now()
    FigureSnapshot.objects.bulk_create(
        [
            FigureSnapshot(
                name=figure.name,
                key=key,
                value=value,
                computed_at=now,
                as_of_event=as_of,
                seconds=round(seconds, 3),
                version=figure.version,
            )
        ],
        update_conflicts=True,
        unique_fields=["name", "key"],
        update_fields=["value", "computed_at", "as_of_event", "seconds", "version"],
    )
    return Result(value, now, seconds, computed_now=True)


def refresh(*, warm: bool = True) -> list[tuple[str, str, float]]:
    """Recompute every stored snapshot whose sources changed (of a figure with `refresh_stored`; else of the keys it
    keeps warm), and (with `warm`) every key a figure keeps warm.

    Returns (name, key, seconds) for each computation.
    """
    autodiscover_modules("precomputed")
    done: list[tuple[str, str, float]] = []
    seen: set[tuple[str, str]] = set()
    warm_keys: dict[str, list[str]] = {}

    def kept_warm(figure: Figure) -> list[str]:
        if figure.name not in warm_keys:
            warm_keys[figure.name] = list(figure.warm()) if figure.warm else []
        return warm_keys[figure.name]

    for snapshot in FigureSnapshot.objects.defer("value").order_by("name", "key"):
        figure = REGISTRY.get(snapshot.name)
        if figure is None:
            continue
        seen.add((snapshot.name, snapshot.key))
        if not figure.refresh_stored and snapshot.key not in kept_warm(figure):
            continue  # computed again when next read
        if is_stale(snapshot, figure):
            done.append((figure.name, snapshot.key, compute(figure, snapshot.key).seconds))
    if warm:
        for figure in REGISTRY.values():
            for key in kept_warm(figure):
                if (figure.name, key) not in seen:
                    seen.add((figure.name, key))
                    done.append((figure.name, key, compute(figure, key).seconds))
    return done
