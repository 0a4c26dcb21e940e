"""Similar open voter opinions of the same township, for staff looking at one opinion.

The township's open set is small (a few thousand at most), so it is vectorised on the fly for each
call with the suggestions' tokeniser and TF-IDF (`suggestions.similarity`): no index to keep in step
with every new or closed opinion. Only the tokens of each text are remembered in the process (an
opinion's content does not change once left), since jieba is the slow part. Scope comes from `selectors.opinion_list`, then the opinion's own
township (`region`), so another township's opinions never appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from deputyhome.suggestions.similarity.tokenise import tokens
from deputyhome.suggestions.similarity.vectors import Vectoriser

from . import selectors
from .models import Opinion
from .services import OPEN_STATES

MAX_POOL = 3000  # the most recent open opinions of the township that are compared
MIN_SCORE = 0.15
_TOKENS: dict[tuple[int, str], list[str]] = {}
_TOKENS_MAX = 50_000


def _tokens_of(o: Opinion) -> list[str]:
    key = (o.pk, o.content)
    found = _TOKENS.get(key)
    if found is None:
        if len(_TOKENS) >= _TOKENS_MAX:
            _TOKENS.clear()
        found = _TOKENS[key] = tokens(o.content)
    return found


@dataclass(frozen=True)
class SimilarOpinion:
    obj: Opinion
    score: float
    mergeable: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_open(*, user: Any, opinion: Opinion, limit: int = 5) -> list[SimilarOpinion]:
    """The open opinions of `opinion`'s township most like it, best first, within `user`'s scope."""
    if not opinion.region_id or not opinion.content.strip():
        return []
    pool = list(
        selectors.opinion_list(user=user)
        .select_related(None)
        .only("pk", "tracking_code", "content", "status", "received_on", "region_id")
        .filter(region_id=opinion.region_id, status__in=OPEN_STATES)
        .exclude(pk=opinion.pk)
        .order_by("-received_on", "-id")[:MAX_POOL]
    )
    if not pool:
        return []
    docs = [_tokens_of(opinion), *(_tokens_of(o) for o in pool)]
    matrix = Vectoriser.fit(docs).transform(docs)
    scores = np.asarray(matrix[1:].dot(matrix[0].T).todense()).ravel()
    order = [int(i) for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] >= MIN_SCORE]
    if not order:
        return []
    chosen = [pool[i] for i in order]
    mergeable = set(
        selectors.merge_candidates(user=user, opinion=opinion)
        .filter(pk__in=[o.pk for o in chosen])
        .values_list("pk", flat=True)
    )
    return [SimilarOpinion(obj=pool[i], score=float(scores[i]), mergeable=pool[i].pk in mergeable) for i in order]
