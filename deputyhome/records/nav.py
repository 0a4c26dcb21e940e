"""Menu entries of the records app, and the link to a deputy's record from the deputy's page (both
registered with core in `RecordsConfig.ready`)."""

from __future__ import annotations

from django.urls import reverse

from deputyhome.core.menu import Menu, NavItem

from . import selectors


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if user.deputy_id and selectors.can_view_records(user):
        items.append(NavItem("records:my_record", "履职档案", Menu.DUTY))
    if selectors.can_view_points_list(user):
        items.append(NavItem("records:points", "履职积分", Menu.DUTY))
        items.append(NavItem("records:visits", "代表进站情况", Menu.DUTY))
        items.append(NavItem("records:households", "结对联系群众情况", Menu.DUTY))
        items.append(NavItem("records:group_quarters", "小组活动情况", Menu.DUTY))
    if selectors.can_view_records(user):
        items.append(NavItem("records:report_list", "向选民述职", Menu.DUTY))
    return items


def deputy_record_link(user, deputy) -> str:
    """The address of `deputy`'s duty record if the record page would let `user` in, else ""."""
    if not selectors.may_open_record(user=user, deputy=deputy):
        return ""
    return reverse("records:deputy_record", args=[deputy.pk])


def deputy_attendance_link(user, deputy) -> str:
    """The page recording `deputy`'s attendance at a congress session, for the roles that record it (no query;
    the page itself refuses a deputy outside the user's scope)."""
    if not selectors.can_record_attendance(user):
        return ""
    return reverse("records:attendance", args=[deputy.pk])
