"""Menu entries of the activities app, by what the user's role may open."""

from __future__ import annotations

from deputyhome.core.menu import Menu, NavItem

from . import permissions


def nav_items(user) -> list[NavItem]:
    if permissions.is_unit_clerk(user):
        return [NavItem("activities:referral_list", "转交事项", Menu.ACTIVITIES)]
    if not permissions.sees_business(user):
        return []
    return [
        NavItem("activities:activity_list", "代表活动", Menu.ACTIVITIES),
        NavItem("activities:problem_list", "发现问题", Menu.ACTIVITIES),
        NavItem("activities:campaign_list", "代表行动", Menu.ACTIVITIES),
        NavItem("activities:assessment_list", "家站建设", Menu.ACTIVITIES),
        NavItem("activities:stats", "活动统计", Menu.ACTIVITIES),
    ]
