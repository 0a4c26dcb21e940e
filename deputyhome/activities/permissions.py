"""Which roles may do what in this app. Scope (which rows) is the selectors' business, not this."""

from __future__ import annotations

from typing import Any

from deputyhome.accounts.choices import Role, ScopeKind


def is_city(user: Any) -> bool:
    return bool(user is not None and user.role == Role.CITY_OFFICER)


def is_township(user: Any) -> bool:
    return bool(user is not None and user.role == Role.TOWNSHIP_OFFICER and user.region_id)


def is_group_staff(user: Any) -> bool:
    return bool(user is not None and user.role in (Role.GROUP_LEADER, Role.LIAISON_OFFICER) and user.group_id)


def is_unit_clerk(user: Any) -> bool:
    return bool(user is not None and user.role == Role.UNIT_CLERK and user.unit_id)


def sees_business(user: Any) -> bool:
    """Everyone but the three administrators (separation of duties) and unit clerks (who see referrals only)."""
    return user.scope_kind not in (ScopeKind.NONE, ScopeKind.UNIT)


def may_manage_checklist(user: Any) -> bool:
    return is_city(user)


def may_assess(user: Any) -> bool:
    return is_city(user) or is_township(user)


def may_manage_rules(user: Any) -> bool:
    return is_city(user)


def may_post_rules(user: Any) -> bool:
    return is_city(user) or is_township(user)


def may_manage_campaigns(user: Any) -> bool:
    return is_city(user)


def may_set_themes(user: Any) -> bool:
    return is_city(user) or is_township(user)


def may_set_topics(user: Any) -> bool:
    return is_city(user) or is_township(user) or is_group_staff(user)


def may_record_activities(user: Any) -> bool:
    return is_city(user) or is_township(user) or is_group_staff(user)


def may_handle_problems(user: Any) -> bool:
    """Close, forward or turn a problem into a suggestion: the officers who enter suggestions (ENTRY)."""
    return is_city(user) or is_township(user)


def may_see_referrals(user: Any) -> bool:
    return user.scope_kind != ScopeKind.NONE
