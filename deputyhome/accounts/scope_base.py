"""What the scope rules share: the empty filter and the congress levels, below both `scopes` and
`congress_scopes` (which `scopes` re-exports)."""

from __future__ import annotations

from django.db.models import Q

NOTHING = Q(pk__in=[])

# Training is organised by the city or by a township (training.choices.OrganiserLevel); congresses have the
# same levels (organisation.choices.CongressLevel).
CITY_LEVEL, TOWNSHIP_LEVEL = "city", "township"
