"""Reading the model: the scoped list of similar suggestions and the routing recommendation.

The model is loaded once per process and reloaded when a newer one is trained (one query per
call checks the newest id). Suggestions written after the model was trained are scored live, so
a duplicate submitted this morning shows up at screening this afternoon; so are those not
yet assigned (only assigned suggestions are trained on), the most recent FRESH_LIMIT of them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef, Q

from deputyhome.organisation.models import HandlingUnit

from .. import selectors
from ..choices import AssignmentStatus, State, UnitRole
from ..history_models import HistoricalSuggestion, RoutingModel
from ..history_selectors import history_list
from ..models import Assignment, Category, Suggestion
from . import tokenise
from .model import KIND_HISTORY, KIND_SUGGESTION, TrainedModel
from .training import suggestion_text

MIN_SCORE = 0.12
CANDIDATES = 200
FRESH_LIMIT = 300

_cache: dict[str, Any] = {"id": None, "model": None, "at": None}
_lock = threading.Lock()


def current_model() -> tuple[TrainedModel | None, RoutingModel | None]:
    latest = RoutingModel.objects.order_by("-id").only("id", "created_at", "digest").first()
    if latest is None:
        return None, None
    key = (latest.pk, latest.digest)
    with _lock:
        if _cache["id"] != key:
            tokenise.configure_from_db()
            blob = RoutingModel.objects.values_list("blob", flat=True).get(pk=latest.pk)
            _cache.update(id=key, model=TrainedModel.from_bytes(blob), at=latest.created_at)
        return _cache["model"], latest


@dataclass
class Similar:
    kind: str  # "suggestion" | "history"
    obj: Any
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar(*, user, text: str, exclude_pk: int | None = None, limit: int = 10) -> list[Similar]:
    """The suggestions of this and past years most like `text` that `user` may see, best first."""
    if not text.strip():
        return []
    model, row = current_model()
    if model is None or row is None:
        return []
    x = model.vectors([text])
    if x.nnz == 0:
        return []
    scores: dict[tuple[int, int], float] = {}
    for i, s in model.neighbours(x, CANDIDATES):
        if s >= MIN_SCORE:
            scores[(int(model.doc_kind[i]), int(model.doc_id[i]))] = s
    visible = selectors.suggestion_list(user=user).exclude(state=State.WITHDRAWN)
    # Not in the index yet: changed since training, or without a lead unit (only assigned ones are trained on).
    lead = Assignment.objects.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD)
    fresh = list(
        visible.filter(Q(updated_at__gt=row.created_at) | ~Exists(lead.filter(suggestion=OuterRef("pk"))))
        .select_related(None)
        .prefetch_related(None)
        .only("id", "title", "situation", "reasons", "proposals")
        .order_by("-updated_at")[:FRESH_LIMIT]
    )
    if fresh:
        sims = (model.vectors([suggestion_text(s) for s in fresh]) @ x.T).toarray().ravel()
        for s, v in zip(fresh, sims, strict=True):
            if v >= MIN_SCORE:
                scores[(KIND_SUGGESTION, s.pk)] = float(v)
    if exclude_pk is not None:
        scores.pop((KIND_SUGGESTION, exclude_pk), None)
    best = sorted(scores.items(), key=lambda kv: -kv[1])[: limit * 5]
    s_ids = [pk for (kind, pk), _ in best if kind == KIND_SUGGESTION]
    h_ids = [pk for (kind, pk), _ in best if kind == KIND_HISTORY]
    objs: dict[tuple[int, int], Any] = {}
    if s_ids:
        objs |= {(KIND_SUGGESTION, s.pk): s for s in visible.filter(pk__in=s_ids).select_related("merged_into")}
    if h_ids:
        objs |= {(KIND_HISTORY, h.pk): h for h in history_list(user=user).filter(pk__in=h_ids)}
    out = []
    for key, score in best:
        if key in objs:
            out.append(Similar("suggestion" if key[0] == KIND_SUGGESTION else "history", objs[key], score))
    return out[:limit]


@dataclass
class UnitOption:
    unit: HandlingUnit
    confidence: float
    words: list[str]
    cases: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass
class Recommendation:
    units: list[UnitOption]
    co_units: list[UnitOption]
    categories: list[UnitOption]  # `unit` holds the Category here
    model_id: int | None


def _case_labels(model: TrainedModel, rows: list[int]) -> dict[int, str]:
    """Index row → "2024年第12号 title", two queries for all rows."""
    h = {int(model.doc_id[r]) for r in rows if model.doc_kind[r] == KIND_HISTORY}
    s = {int(model.doc_id[r]) for r in rows if model.doc_kind[r] == KIND_SUGGESTION}
    hist = {x.pk: f"{x.number_label} {x.title}" for x in HistoricalSuggestion.objects.filter(pk__in=h)} if h else {}
    sugg = {x.pk: f"{x.year}年{x.number_label} {x.title}" for x in Suggestion.objects.filter(pk__in=s)} if s else {}
    out = {}
    for r in rows:
        pk = int(model.doc_id[r])
        label = hist.get(pk) if model.doc_kind[r] == KIND_HISTORY else sugg.get(pk)
        if label:
            out[r] = label
    return out


def recommend(*, text: str, top: int = 3) -> Recommendation | None:
    """Lead units, likely co-units and the category for `text`; for staff, who decide."""
    model, row = current_model()
    if model is None or row is None or not text.strip():
        return None
    r = model.route(text, top=top)
    ids = {g.unit_id for g in r.units} | {u for u, _ in r.co_units}
    units = HandlingUnit.objects.in_bulk(list(ids))
    cats = Category.objects.in_bulk([c for c, _, _ in r.categories])
    labels = _case_labels(model, [row for g in r.units for row in g.cases])
    return Recommendation(
        units=[
            UnitOption(units[g.unit_id], g.confidence, g.words, [labels[c] for c in g.cases if c in labels])
            for g in r.units
            if g.unit_id in units
        ],
        co_units=[UnitOption(units[u], c, []) for u, c in r.co_units if u in units],
        categories=[UnitOption(cats[c], p, w) for c, p, w in r.categories if c in cats],
        model_id=row.pk,
    )


def batch_route(texts: list[str], *, top: int = 3) -> list[tuple[list[str], str]]:
    """Names of the ranked units and of the category for each text (for the command line)."""
    model, _ = current_model()
    if model is None:
        return [([], "") for _ in texts]
    names = dict(HandlingUnit.objects.values_list("id", "name"))
    cat_names = dict(Category.objects.values_list("id", "name"))
    return [
        ([names.get(u, str(u)) for u in ranked], cat_names.get(cat, "") if cat else "")
        for ranked, cat in model.route_many(texts, top=top)
    ]


def top_k_hits(model: TrainedModel, texts: list[str], truth: list[int], k: int) -> tuple[int, int]:
    """(top-1 hits, top-k hits) of the unit ranking against the true lead units."""
    p = np.vstack([model.unit_probabilities(model.vectors(texts[i : i + 100])) for i in range(0, len(texts), 100)])
    order = np.argsort(-p, axis=1)[:, :k]
    classes = model.units.classes
    top1 = sum(int(classes[order[i, 0]] == t) for i, t in enumerate(truth))
    topk = sum(int(t in set(classes[order[i]].tolist())) for i, t in enumerate(truth))
    return top1, topk
