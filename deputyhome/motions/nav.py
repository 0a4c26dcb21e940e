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


def session_link(user, session) -> str:
    """The session's page, if the user may open it (one query)."""
    if not selectors.may_see_sessions(user) or not selectors.session_list(user=user).filter(pk=session.pk).exists():
        return ""
    return reverse("motions:session_detail", args=[session.pk])
