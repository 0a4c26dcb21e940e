"""Menu entries of the records app (read by core.context_processors.navigation)."""

from __future__ import annotations

from . import selectors


def nav_items(user) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if user.deputy_id and selectors.can_view_records(user):
        items.append(("records:my_record", "履职档案"))
    if selectors.can_view_points_list(user):
        items.append(("records:points", "履职积分"))
    if selectors.can_view_records(user):
        items.append(("records:report_list", "向选民述职"))
    return items
