"""The year's figures page (/records/year/) computed ahead, per scope (`figures.cache`).

The page gathers every app's statistics for the year (`annual.annual_figures`: platform, training, activities,
receptions, suggestions per congress and per unit, reports to voters) and draws eight charts. At province scale that
is over a second for the city's users and a few hundred milliseconds even for one township, one group or one
deputy: a dozen apps' statistics, each a handful of queries, which no single index brings under the scoped pages'
goal. So the page's content (the tiles, the SVG charts, the levels table) is stored per scope
(`scopes.scope_key`: the role and its anchors) and year, and computed again after an audited write on a source app,
or when the day it is taken on has passed. The scheduled refresh keeps this year's city-wide panels computed; a
scope's own panel is computed at its first view and then read, and again at its next view after a change (the schedule
leaves the thousands of scopes' panels alone: `refresh_stored=False`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ROLE_SCOPE, Role, ScopeKind
from deputyhome.accounts.models import User
from deputyhome.figures import cache
from deputyhome.figures.cache import precomputed

from . import annual, annual_drafts, levels, selectors

YEAR_PANEL = "reports.year_panel"
# Every app the year's figures read: the platform (organisation, deputies), training, activities and campaigns,
# receptions and stories (opinions), suggestions and their supervision, sessions (motions), reports to voters.
SOURCES = (
    "organisation",
    "deputies",
    "suggestions",
    "motions",
    "activities",
    "opinions",
    "training",
    "supervision",
    "records",
)
CITY_ROLES = tuple(role for role, kind in ROLE_SCOPE.items() if kind == ScopeKind.CITY)


def panel_key(scope: str, year: int) -> str:
    return f"{scope}:{year}"


def _warm() -> list[str]:
    """This year's panel for each city-wide role that has an active user (the city's users share one per role)."""
    roles = User.objects.filter(is_active=True, role__in=CITY_ROLES).values_list("role", flat=True).distinct()
    year = scopes.today().year
    return [panel_key(role, year) for role in sorted(roles)]


# Version 2: the charts kept as data and drawn when read (version 1 kept their SVG, which then outlived a change of
# the drawing: the style attribute the CSP came to refuse stayed on the page until the snapshot went stale).
@precomputed(YEAR_PANEL, depends=SOURCES, warm=_warm, daily=True, refresh_stored=False, version=2)
def year_panel(key: str) -> dict[str, Any]:
    """What the page shows for the scope and year in `key`: headline, sections with their charts (as data:
    `charts.BarChart.from_data`), the levels."""
    scope, year = key.rsplit(":", 1)
    figures = annual.annual_figures(user=scopes.scope_user(scope), year=int(year))
    kept = {name: asdict(chart) for name, chart in annual.report_charts(figures).items()}
    sections = annual.dashboard_sections(figures)
    for section in sections:
        section["charts"] = [kept[name] for name in annual.CHART_SECTIONS[section["key"]] if name in kept]
    return {
        "as_of": figures["as_of"],
        "scope": figures["scope"],
        "scope_label": figures["scope_label"],
        "place": figures["place"],
        "sections": sections,
        "levels": annual.levels_part(figures),
    }


def year_panel_for(*, user, year: int) -> cache.Result:
    """The user's panel for `year`: the snapshot of their scope (a daily figure: taken on another day, computed
    again)."""
    return cache.get(YEAR_PANEL, panel_key(scopes.scope_key(user), year))


ANNUAL = "reports.annual"


# Sources: the year's figures' apps, and reports itself (the clerk's saved 存在的问题 and 下一步工作).
@precomputed(
    ANNUAL,
    depends=(*SOURCES, "reports"),
    warm=lambda: [panel_key(Role.CITY_OFFICER, scopes.today().year)],
    daily=True,
    refresh_stored=False,
)
def annual_texts(key: str) -> dict[str, Any]:
    """For the scope and year in `key`: the report's figures and texts as the statistics API gives them
    (`api`), and the drafts of the closing sections as the clerk's text page offers them (`drafts`)."""
    scope, year = key.rsplit(":", 1)
    user = scopes.scope_user(scope)
    figures = annual.annual_figures(user=user, year=int(year))
    drafts = annual_drafts.drafts(figures)
    closing = annual_drafts.closing_sections(figures, annual_drafts.saved_text(user=user, year=int(year)))
    figures["sections"] = [{"heading": h, "paragraphs": p} for h, p in [*annual.section_texts(figures), *closing]]
    figures["levels_section"] = annual.levels_part(figures)
    return {"api": figures, "drafts": drafts}


def annual_for(*, user, year: int) -> cache.Result:
    """The user's scope's report figures and drafts for `year` (`annual_texts`), from the snapshot."""
    return cache.get(ANNUAL, panel_key(scopes.scope_key(user), year))


OVERVIEW = "reports.overview"
CITY = "city"
# The scopes whose home page shows the overview: the city's (one snapshot for all its users), a township's, a group's.
STORED_SCOPES = (ScopeKind.CITY, ScopeKind.REGION, ScopeKind.GROUP)


# Sources: the stations and groups (organisation), the deputies, their mandates and memberships (deputies); the
# mandates and memberships in force follow the day. A scope's own snapshot is computed again when next read.
@precomputed(OVERVIEW, depends=("organisation", "deputies"), warm=lambda: [CITY], daily=True, refresh_stored=False)
def scope_overview(key: str) -> dict[str, Any]:
    """The overview of one scope: "city", the whole scope as every city-wide user reads it (at province scale it
    counts 100,000 deputies, their mandates and memberships; an unsaved city officer stands for the city's users),
    or a township's or a group's (`scopes.scope_key`: six grouped counts for the figures of a day)."""
    user = User(role=Role.CITY_OFFICER) if key == CITY else scopes.scope_user(key)
    return selectors.overview(user=user)


def overview(*, user) -> dict[str, Any]:
    """`selectors.overview` for the dashboard and the API, with its `computed_at`: the city-wide users' from the
    city's snapshot (served for `FIGURES_GRACE_SECONDS` after a change), a township's or a group's from the
    snapshot of its scope, computed again after any change (an officer sees their own write at once); the other
    scopes' (a unit's, a deputy's: no home page figures) counted now (`computed_at` None)."""
    if user.scope_kind == ScopeKind.CITY:
        return cache.stamped(OVERVIEW, CITY) | {"scope": user.scope_kind}
    if user.scope_kind in STORED_SCOPES:
        return cache.stamped(OVERVIEW, scopes.scope_key(user), grace=0)
    return selectors.overview(user=user) | {"computed_at": None}


CONGRESS_LEVELS = "reports.congress_levels"


# Sources: the suggestions and their course (suggestions), the congresses and their regions (organisation).
@precomputed(CONGRESS_LEVELS, depends=("suggestions", "organisation"), warm=lambda: [str(scopes.today().year)])
def city_congress_levels(key: str) -> dict[str, Any]:
    """The home page's suggestion figures per level for the whole scope, with every township congress's row (a
    province has a thousand): the page sorts and cuts them."""
    return levels.level_rows(user=User(role=Role.CITY_OFFICER), year=int(key))


def congress_levels_for(*, user, year: int) -> cache.Result | None:
    """The city-wide snapshot for a city-wide user; None for a scoped one (counted in SQL, a page at a time)."""
    return cache.get(CONGRESS_LEVELS, str(year)) if user.scope_kind == ScopeKind.CITY else None
