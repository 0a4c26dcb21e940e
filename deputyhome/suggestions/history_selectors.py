"""Scoped reads of past years' ledger rows (HistoricalSuggestion).

The committee's staff (city scope) see every row; a handling unit sees the rows it led or
co-handled; everyone else who may see suggestions sees the rows marked public (a ledger of
assignments and reply classes is published each year; the import can keep a row internal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from deputyhome.accounts import scopes

from .history_models import HistoricalSuggestion

if TYPE_CHECKING:
    from deputyhome.accounts.models import User


def history_list(*, user: User) -> QuerySet[HistoricalSuggestion]:
    """The suggestions of past terms the user may read (`accounts.scopes.historical_suggestions_q`), one row each."""
    qs = HistoricalSuggestion.objects.select_related("lead_unit", "category", "result_class")
    cond = scopes.historical_suggestions_q(user)
    return qs.filter(pk__in=HistoricalSuggestion.objects.filter(cond).values("pk")) if cond else qs
