"""The corpus and the fitting: past years' ledgers, this year's assigned suggestions, the units' duties.

Staff's choices are the labels: a suggestion's active lead assignment is what a person chose
(through the routing panel, recorded as a RoutingChoice, or the plain assignment form), and a
unit that sent an assignment back is not a label. Each unit's duties text (职责) is added as a few
short documents labelled with the unit, so that a unit with no history can still be recommended.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Prefetch
from scipy import sparse

from deputyhome.organisation.models import HandlingUnit

from ..choices import AssignmentStatus, State, UnitRole
from ..history_models import HistoricalSuggestion, RoutingModel
from ..models import Assignment, Suggestion
from . import tokenise
from .model import KIND_HISTORY, KIND_SUGGESTION, Linear, TrainedModel
from .services import routing_model_save
from .vectors import Vectoriser

CONTENT_CHARS = 300  # of the content indexed for similarity: the matter is stated early


@dataclass
class Doc:
    kind: int
    pk: int
    year: int
    text: str
    lead: int
    co: list[int] = field(default_factory=list)
    category: int | None = None


def suggestion_text(s: Suggestion) -> str:
    body = "\n".join(p for p in (s.situation, s.reasons, s.proposals) if p)
    return f"{s.title}\n{body[:CONTENT_CHARS]}"


def history_docs(years: Iterable[int] | None = None) -> list[Doc]:
    qs = HistoricalSuggestion.objects.order_by("id").prefetch_related("co_units")
    if years is not None:
        qs = qs.filter(year__in=list(years))
    return [
        Doc(
            KIND_HISTORY,
            h.pk,
            h.year,
            f"{h.title}\n{h.content[:CONTENT_CHARS]}",
            h.lead_unit_id,
            [u.pk for u in h.co_units.all()],
            h.category_id,
        )
        for h in qs.iterator(chunk_size=2000)
    ]


def suggestion_docs() -> list[Doc]:
    active = Assignment.objects.filter(status=AssignmentStatus.ACTIVE).only("unit_id", "role", "suggestion_id")
    qs = (
        Suggestion.objects.exclude(state__in=[State.DRAFT, State.WITHDRAWN, State.RETURNED])
        .filter(merged_into__isnull=True)
        .order_by("id")
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_units"))
    )
    docs = []
    for s in qs.iterator(chunk_size=2000):
        lead = next((a.unit_id for a in s.active_units if a.role == UnitRole.LEAD), None)
        if lead is None:
            continue
        co = [a.unit_id for a in s.active_units if a.role == UnitRole.CO]
        docs.append(Doc(KIND_SUGGESTION, s.pk, s.year, suggestion_text(s), lead, co, s.category_id))
    return docs


def duty_docs() -> list[tuple[str, int]]:
    out = []
    for unit in HandlingUnit.objects.filter(is_active=True).exclude(duties="").only("pk", "duties", "name"):
        for part in re.split(r"[。；;\n]+", unit.duties):
            if len(part.strip()) >= 6:
                out.append((f"{unit.name} {part.strip()}", unit.pk))
    return out


def _linear(x: sparse.csr_matrix, labels: list[int], weights: np.ndarray) -> Linear:
    from sklearn.svm import LinearSVC

    classes = sorted(set(labels))
    if len(classes) == 1:
        return Linear(np.zeros((1, x.shape[1]), np.float32), np.ones(1, np.float32), np.array(classes))
    clf = LinearSVC(C=0.5, class_weight=None, dual=True, max_iter=2000, random_state=0)
    clf.fit(x, np.array(labels), sample_weight=weights)
    coef, intercept = clf.coef_, clf.intercept_
    if len(classes) == 2:  # a binary SVM has one row: score of the second class
        coef = np.vstack([-coef, coef])
        intercept = np.array([-intercept[0], intercept[0]])
    return Linear(coef.astype(np.float32), intercept.astype(np.float32), np.array(clf.classes_, dtype=np.int64))


def fit(docs: list[Doc], duties: list[tuple[str, int]]) -> TrainedModel:
    """Fit the vectoriser on everything, index the cases, train the unit and category classifiers."""
    tokenise.configure_from_db()
    case_tokens = [tokenise.tokens(d.text) for d in docs]
    duty_tokens = [tokenise.tokens(t) for t, _ in duties]
    vec = Vectoriser.fit(case_tokens + duty_tokens, min_df=1 if len(docs) < 5000 else 2)
    x_cases = vec.transform(case_tokens)
    x_duties = vec.transform(duty_tokens)
    x_all = sparse.vstack([x_cases, x_duties]).tocsr()
    labels = [d.lead for d in docs] + [u for _, u in duties]
    weights = np.ones(len(labels), dtype=np.float64)
    units = (
        _linear(x_all, labels, weights)
        if labels
        else Linear(np.zeros((0, len(vec.terms)), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int64))
    )
    with_cat = [i for i, d in enumerate(docs) if d.category]
    cats = None
    if len({docs[i].category for i in with_cat}) >= 1:
        cats = _linear(x_cases[with_cat], [docs[i].category for i in with_cat], np.ones(len(with_cat)))
    co_indptr = np.cumsum([0] + [len(d.co) for d in docs]).astype(np.int64)
    co_ids = np.array([u for d in docs for u in d.co], dtype=np.int64)
    return TrainedModel(
        vec=vec,
        index=x_cases,
        doc_kind=np.array([d.kind for d in docs], dtype=np.int8),
        doc_id=np.array([d.pk for d in docs], dtype=np.int64),
        doc_lead=np.array([d.lead for d in docs], dtype=np.int64),
        co_indptr=co_indptr,
        co_ids=co_ids,
        units=units,
        categories=cats,
    )


def _digest(docs: list[Doc], duties: list[tuple[str, int]]) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(f"{d.kind}|{d.pk}|{d.lead}|{d.co}|{d.category}|{d.text}\n".encode())
    for t, u in duties:
        h.update(f"duty|{u}|{t}\n".encode())
    return h.hexdigest()


def suggestions_learn(*, actor: Any, force: bool = False) -> tuple[RoutingModel, bool]:
    """Train on everything known; (model, trained). Idempotent: the same data gives no new model."""
    started = time.perf_counter()
    docs = history_docs() + suggestion_docs()
    duties = duty_docs()
    digest = _digest(docs, duties)
    latest = RoutingModel.objects.order_by("-id").first()
    if latest is not None and latest.digest == digest and not force:
        return latest, False
    if not docs and not duties:
        raise ValueError("没有可用于训练的往年建议、已交办建议或单位职责。")
    model = fit(docs, duties)
    blob = model.to_bytes()
    meta = {
        "history": sum(1 for d in docs if d.kind == KIND_HISTORY),
        "suggestions": sum(1 for d in docs if d.kind == KIND_SUGGESTION),
        "duty_docs": len(duties),
        "terms": len(model.vec.terms),
        "units": len(model.units.classes),
        "seconds": round(time.perf_counter() - started, 2),
        "bytes": len(blob),
    }
    row = routing_model_save(digest=digest, documents=len(docs), blob=blob, meta=meta, actor=actor)
    return row, True
