"""Writes around routing: the staff's confirmed choice, recorded with what was recommended."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from deputyhome.audit.services import record

from ..history_models import RoutingChoice
from ..models import Suggestion


@transaction.atomic
def routing_choice_record(
    *,
    suggestion: Suggestion,
    kind: str,
    recommended: Sequence[int],
    chosen: Sequence[int],
    model_id: int | None,
    actor: Any,
) -> RoutingChoice:
    """Record a person's choice against the recommendation; the next training learns from it."""
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
