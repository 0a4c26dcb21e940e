"""A suggestion made from a matter decided elsewhere: a motion the presidium handles as a suggestion
(不作为议案、作为建议处理). It is created and submitted at once, keeping the motion's text; the deputies who
signed and confirmed the motion are its co-signers, confirmed already. From there it runs the whole course.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from deputyhome.audit.services import record
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import Session

from ..models import CoSigner, Suggestion
from .drafting import suggestion_create, suggestion_submit


@transaction.atomic
def suggestion_create_converted(
    *,
    author: Deputy,
    data: dict[str, Any],
    session: Session | None,
    cosigners: Sequence[tuple[Deputy, datetime.datetime]],
    source: str,
    actor: Any,
) -> Suggestion:
    """Create and submit the suggestion; `cosigners` are (deputy, when they confirmed the source) and stay
    confirmed; `source` names where it came from (e.g. 第3号议案) for the audit trail."""
    s = suggestion_create(
        author=author, data={**data, "session": session}, actor=actor, cosigners=[d for d, _ in cosigners]
    )
    for deputy, confirmed_at in cosigners:
        CoSigner.objects.filter(suggestion=s, deputy=deputy).update(confirmed_at=confirmed_at)
    s = suggestion_submit(suggestion=s, actor=actor)
    record(
        actor=actor,
        action="suggestion.converted",
        obj=s,
        changes={"source": [None, source], "cosigners": [None, len(cosigners)]},
        detail=f"由{source}转为建议",
    )
    return s
