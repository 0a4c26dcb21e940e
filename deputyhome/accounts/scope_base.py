"""What the scope rules share: the empty filter, the congress levels, today, the region codes above a township and the
model look-ups, below `scopes`, `congress_scopes` and `session_scopes` (which `scopes` re-exports)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Model, Q
from django.utils import timezone

NOTHING = Q(pk__in=[])

# Training is organised by the city or by a township (training.choices.OrganiserLevel); congresses have the
# same levels (organisation.choices.CongressLevel).
CITY_LEVEL, TOWNSHIP_LEVEL = "city", "township"


def _model_at(path: str) -> type[Model]:
    """The model at the end of a relation path from the user model, e.g. "group__memberships": User.group
    is a DeputyGroup, whose `memberships` are the deputies' GroupMembership rows."""
    model = get_user_model()
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def _anchor_region_code(user) -> str | None:
    return user.region.code if user.region_id else None


def _of_deputy(deputy_id: int, path: str):
    """The values at `path` (a path from the deputy) for one deputy, as a subquery."""
    return _model_at("deputy").objects.filter(pk=deputy_id).values(path)


def today() -> datetime.date:
    return timezone.localdate()


def _member_ids(group_id: int, when: Q):
    memberships = _model_at("group__memberships")
    return memberships._default_manager.filter(when, group_id=group_id).values("deputy_id")


def ancestor_codes(code: str) -> list[str]:
    """A region code and the codes of the regions above it (2, 4, 6, 9 digits: province, prefecture, county,
    township), so that a township officer finds the congresses over their township."""
    return [code[:n] for n in (2, 4, 6, 9) if n <= len(code)]
