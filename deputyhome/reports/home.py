"""The home page's overview figures, registered with core (`core.registry.register_home`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel

from .levels import dashboard_levels
from .precomputed import congress_levels_for, overview

LEVEL_LABELS = {
    CongressLevel.PROVINCE: "省级代表",
    CongressLevel.PREFECTURE: "州级代表",
    CongressLevel.CITY: "市级代表",
    CongressLevel.TOWNSHIP: "乡级代表",
}


def home_figures(user: Any, today: datetime.date, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The overview of the user's scope for the home page, and its figures by level (`levels`: the suggestions
    per congress level, the drill-down by region); nothing for roles without business data."""
    scope = user.scope_kind
    # System and audit admins see no business data (separation of duties); a unit clerk's
    # business is the suggestions assigned to their unit, not the deputies' organisation.
    # A deputy's own scope is themself: the organisation's figures say nothing to them; their own year does, as
    # their duty record counts it, and a unit's year as its score card does (both loaded by htmx).
    if scope == ScopeKind.SELF and user.deputy_id:
        return {"own_year_url": reverse("records:my_year"), "own_year_heading": f"我的{today.year}年履职"}
    if scope == ScopeKind.UNIT and user.unit_id:
        return {"own_year_url": reverse("supervision:unit_year"), "own_year_heading": f"本单位{today.year}年办理与考核"}
    if scope in (ScopeKind.NONE, ScopeKind.SELF, ScopeKind.UNIT):
        return {}
    stats = overview(user=user)
    computed = congress_levels_for(user=user, year=today.year)
    by_level = dashboard_levels(
        user=user,
        today=today,
        params=params or {},
        townships=stats["by_township"],
        computed=computed.value if computed else None,
    )
    return {
        **by_level,
        "has_figures": True,
        "stats": stats,
        "levels": [(label, stats["deputies_by_level"][level]) for level, label in LEVEL_LABELS.items()],
        # By township, for those who see several (one township's officer would read one row: their own figures).
        "show_townships": not user.sees_one_township
        and (scope in (ScopeKind.CITY, ScopeKind.REGION) or len(stats["by_township"]) > 1),
    }
