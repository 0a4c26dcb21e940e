"""Menu entries of the activities app, by what the user's role may open."""

from __future__ import annotations

from . import permissions


def nav_items(user) -> list[tuple[str, str]]:
    if permissions.is_unit_clerk(user):
        return [("activities:referral_list", "转交事项")]
    if not permissions.sees_business(user):
        return []
    return [
        ("activities:activity_list", "代表活动"),
        ("activities:problem_list", "发现问题"),
        ("activities:campaign_list", "代表行动"),
        ("activities:assessment_list", "家站建设"),
        ("activities:stats", "活动统计"),
    ]
