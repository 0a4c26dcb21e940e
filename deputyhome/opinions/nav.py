"""Menu entries of the opinions app (read by core.context_processors.navigation)."""

from __future__ import annotations

from . import selectors


def nav_items(user) -> list[tuple[str, str]]:
    if not selectors.may_see_opinions(user):
        return []
    return [
        ("opinions:list", "群众意见"),
        ("opinions:reception_list", "接待选民"),
        ("opinions:pairing_list", "结对联系"),
        ("opinions:story_list", "代表典型"),
    ]
