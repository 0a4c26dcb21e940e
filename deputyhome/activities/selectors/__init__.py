"""Scoped reads of standards, rules, campaigns, activities, problems and referrals, and their statistics.

Who sees what:
- city scope (city officers, supervisors, leaders): everything;
- a township officer: activities organised in their township (and below), its problems,
  referrals and stations;
- a group leader or liaison officer: their group's activities and the problems found in them;
- a deputy: activities they took part in and problems they raised;
- everyone also sees what they entered themselves;
- a handling-unit clerk: only the referrals sent to their unit;
- the three administrators: nothing.

The scope rules themselves are in `deputyhome.accounts.scopes` (`activities_q`, `problems_q`,
`referrals_q`, `at_stations_q`, `deputy_work_q`).
"""

from __future__ import annotations

import datetime

from deputyhome.accounts import scopes

from .activities import (
    activity_choice_label,
    activity_choices,
    activity_detail,
    activity_list,
    activity_problems,
    activity_register,
    add_activity_counts,
    deputy_choices,
    group_choices,
    output_list,
    problem_detail,
    problem_list,
    problem_register,
    referral_detail,
    referral_list,
    suggestion_origin,
    township_choices,
)
from .standards import (
    active_items,
    assessment_counts,
    assessment_detail,
    assessment_list,
    assessment_years,
    campaign_choices,
    campaign_list,
    campaign_themes,
    campaign_topics,
    posting_list,
    rule_list,
    rule_versions,
    shortfall_list,
    standard_item_list,
    standards_year,
    station_choices,
)
from .stats import (
    activity_stats,
    register_figure,
    station_page,
    stats_by_campaign,
    stats_by_region,
    stats_by_station,
    stats_by_township,
    stats_level,
    stats_station_page,
    stats_trail,
)
from .tallies import year_tallies


def today() -> datetime.date:
    return scopes.today()


__all__ = [
    "active_items",
    "activity_detail",
    "activity_list",
    "activity_register",
    "add_activity_counts",
    "activity_problems",
    "activity_stats",
    "assessment_counts",
    "assessment_detail",
    "assessment_list",
    "assessment_years",
    "campaign_choices",
    "campaign_list",
    "campaign_themes",
    "campaign_topics",
    "activity_choice_label",
    "activity_choices",
    "deputy_choices",
    "group_choices",
    "output_list",
    "posting_list",
    "problem_detail",
    "problem_list",
    "problem_register",
    "referral_detail",
    "referral_list",
    "register_figure",
    "rule_list",
    "rule_versions",
    "shortfall_list",
    "standard_item_list",
    "standards_year",
    "station_choices",
    "stats_by_campaign",
    "stats_by_region",
    "stats_by_station",
    "stats_station_page",
    "stats_trail",
    "station_page",
    "stats_by_township",
    "stats_level",
    "suggestion_origin",
    "today",
    "township_choices",
    "year_tallies",
]
