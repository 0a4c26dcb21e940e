"""The figures' one audited write: removing the snapshots nobody needs any more. (Computing and storing a snapshot,
`cache`, is not audited: it is derived from data whose every change was.)"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from deputyhome.audit.services import record

from .cache import REGISTRY
from .models import FigureSnapshot

# A snapshot nobody has needed computed for this long, of a key no figure keeps warm, is removed (`snapshots_prune`): a province
# has thousands of scopes, and roles change; a reader who comes back gets it computed again.
PRUNE_AFTER_DAYS = 90


@transaction.atomic
def snapshots_prune(*, days: int = PRUNE_AFTER_DAYS) -> int:
    """Remove the snapshots of figures no longer registered, and those computed more than `days` ago of keys no
    figure keeps warm; one audit event for what went (none when nothing did). Returns how many went."""
    autodiscover_modules("precomputed")
    cutoff = timezone.now() - timedelta(days=days)
    keep = Q(name__in=list(REGISTRY), computed_at__gte=cutoff)
    for figure in REGISTRY.values():
        if figure.warm:
            keep |= Q(name=figure.name, key__in=list(figure.warm()))
    gone = FigureSnapshot.objects.exclude(keep)
    names = sorted(set(gone.values_list("name", flat=True)))
    count, _ = gone.delete()
    if count:
        record(
            actor=None,
            action="figures.prune",
            object_type="figures.figuresnapshot",
            object_repr="预先计算的统计",
            changes={"deleted": count, "figures": names, "days": days},
        )
    return count
