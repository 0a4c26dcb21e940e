"""Scoped reads of past years' ledger rows (HistoricalSuggestion).

The committee's staff (city scope) see every row; a handling unit sees the rows it led or
co-handled; everyone else who may see suggestions sees the rows marked public (a ledger of
assignments and reply classes is published each year; the import can keep a row internal).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from deputyhome.accounts.choices import ScopeKind

from .history_models import HistoricalSuggestion


def history_list(*, user) -> QuerySet[HistoricalSuggestion]:
    qs = HistoricalSuggestion.objects.select_related("lead_unit", "category", "result_class")
    kind = user.scope_kind
    if kind == ScopeKind.NONE:
        return qs.none()
    if kind == ScopeKind.CITY:
        return qs
    if kind == ScopeKind.UNIT and user.unit_id:
        return qs.filter(Q(lead_unit_id=user.unit_id) | Q(co_units=user.unit_id) | Q(is_public=True)).distinct()
    return qs.filter(is_public=True)
