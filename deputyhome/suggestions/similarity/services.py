"""Writes around routing: a model trained, and the staff's confirmed choice recorded with what was recommended."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction

from deputyhome.audit.services import record

from ..history_models import RoutingChoice, RoutingModel
from ..models import Suggestion


@transaction.atomic
def routing_decide(
    *,
    decide: Callable[[], object],
    suggestion: Suggestion,
    kind: str,
    recommended: Sequence[int],
    chosen: Sequence[int],
    model_id: int | None,
    actor: Any,
) -> RoutingChoice:
    """Staff's routing decision through its ordinary service (`decide`: the assignment, or the category) and, in the
    same transaction, what they chose against what was recommended; the next training learns from it."""
    decide()
    choice = RoutingChoice.objects.create(
        suggestion=suggestion,
        kind=kind,
        recommended=list(recommended),
        chosen=list(chosen),
        accepted=bool(recommended and chosen and recommended[0] == chosen[0]),
        model_id=model_id,
        actor=actor,
    )
    record(
        actor=actor,
        action=f"suggestion.routing_{kind}",
        obj=suggestion,
        changes={"recommended": list(recommended), "chosen": list(chosen), "accepted": choice.accepted},
    )
    return choice


MODELS_KEPT = 3  # older blobs are never read again


@transaction.atomic
def routing_model_save(*, digest: str, documents: int, blob: bytes, meta: dict[str, Any], actor: Any) -> RoutingModel:
    """Keep a newly trained model (and the newest few before it), audited with what it was trained on."""
    row = RoutingModel.objects.create(digest=digest, documents=documents, blob=blob, meta=meta)
    stale = RoutingModel.objects.order_by("-id").values_list("id", flat=True)[MODELS_KEPT:]
    RoutingModel.objects.filter(id__in=list(stale)).delete()
    record(actor=actor, action="suggestions.learn", obj=row, changes=meta)
    return row
