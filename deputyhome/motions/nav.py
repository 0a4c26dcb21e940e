"""Menu entries of the motions app, and the congress page's links to its sessions (registered in `ready`)."""

from __future__ import annotations

from django.urls import reverse

from deputyhome.core.menu import Menu, NavItem

from . import selectors


def nav_items(user) -> list[NavItem]:
    """By role only (the menu costs no query): those who work with sessions see the sessions and the motions."""
    if not selectors.may_see_sessions(user):
        return []
    return [
        NavItem("motions:session_list", "会议与代表团", Menu.ORGANISATION),
        NavItem("motions:list", "议案", Menu.SUGGESTIONS),
    ]


def session_links(user, sessions) -> dict[int, str]:
    """The pages of those sessions the user may open, by session id (one query for them all)."""
    if not selectors.may_see_sessions(user):
        return {}
    visible = selectors.session_list(user=user).filter(pk__in=[s.pk for s in sessions]).values_list("pk", flat=True)
    return {pk: reverse("motions:session_detail", args=[pk]) for pk in visible}
