"""The year's figures page (/records/year/) computed ahead, per scope (`figures.cache`), and with it the drafts of the
annual report's closing parts that the clerk edits (/records/annual-report/text/).

The page gathers every app's statistics for the year (`annual.annual_figures`: platform, training, activities,
receptions, suggestions per congress and per unit, reports to voters) and draws eight charts. At province scale that
is over a second for the city's users and a few hundred milliseconds even for one township, one group or one
deputy: a dozen apps' statistics, each a handful of queries, which no single index brings under the scoped pages'
goal. So the page's content (the tiles, the SVG charts, the levels table) is stored per scope
(`scopes.scope_key`: the role and its anchors) and year, and computed again after an audited write on a source app,
or when the day it is taken on has passed. The scheduled refresh keeps this year's city-wide panels computed; a
scope's own panel is computed at its first view and then read.
"""

from __future__ import annotations

from typing import Any

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ROLE_SCOPE, Role, ScopeKind
from deputyhome.accounts.models import User
from deputyhome.figures import cache
from deputyhome.figures.cache import precomputed

from . import annual, annual_drafts, charts, levels, selectors

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


@precomputed(YEAR_PANEL, depends=SOURCES, warm=_warm, daily=True)
def year_panel(key: str) -> dict[str, Any]:
    """What the page shows for the scope and year in `key`: headline, sections with their charts, the levels."""
    scope, year = key.rsplit(":", 1)
    figures = annual.annual_figures(user=scopes.scope_user(scope), year=int(year))
    svgs = {name: charts.svg(chart) for name, chart in annual.report_charts(figures).items()}
    sections = annual.dashboard_sections(figures)
    for section in sections:
        section["charts"] = [svgs[name] for name in annual.CHART_SECTIONS[section["key"]] if name in svgs]
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


ANNUAL_DRAFTS = "reports.annual_drafts"


@precomputed(
    ANNUAL_DRAFTS, depends=SOURCES, warm=lambda: [panel_key(Role.CITY_OFFICER, scopes.today().year)], daily=True
)
def annual_text_drafts(key: str) -> dict[str, str]:
    """The drafts of 存在的问题 and 下一步工作 for the scope and year in `key`, written from the year's figures
    (`annual.annual_figures`: over a second city-wide, which the editing page gathered at every view)."""
    scope, year = key.rsplit(":", 1)
    return annual_drafts.drafts(annual.annual_figures(user=scopes.scope_user(scope), year=int(year)))


def annual_text_drafts_for(*, user, year: int) -> cache.Result:
    """The user's drafts for `year`: the snapshot of their scope (a daily figure, as the year's panel)."""
    return cache.get(ANNUAL_DRAFTS, panel_key(scopes.scope_key(user), year))


OVERVIEW = "reports.overview"


# Sources: the stations and groups (organisation), the deputies, their mandates and memberships (deputies); the
# mandates and memberships in force follow the day.
@precomputed(OVERVIEW, depends=("organisation", "deputies"), warm=lambda: ["city"], daily=True)
def city_overview(key: str) -> dict[str, Any]:
    """The overview of the whole scope, as every city-wide user reads it: at province scale it counts 100,000
    deputies, their mandates and memberships (an unsaved city officer stands for the city's users)."""
    return selectors.overview(user=User(role=Role.CITY_OFFICER))


def overview(*, user) -> dict[str, Any]:
    """`selectors.overview` for the dashboard and the API: a city-wide user's from the snapshot (with its
    `computed_at`), a scoped user's counted now (`computed_at` None)."""
    if user.scope_kind != ScopeKind.CITY:
        return selectors.overview(user=user) | {"computed_at": None}
    return cache.stamped(OVERVIEW, "city") | {"scope": user.scope_kind}


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
