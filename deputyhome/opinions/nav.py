"""Menu entries of the opinions app (read by core.context_processors.navigation)."""

from __future__ import annotations

from django.urls import reverse

from deputyhome.core.menu import Menu, NavItem

from . import selectors


def nav_items(user) -> list[NavItem]:
    if not selectors.may_see_opinions(user):
        return []
    return [
        NavItem("opinions:list", "群众意见", Menu.PUBLIC),
        NavItem("opinions:reception_list", "接待选民", Menu.PUBLIC),
        NavItem("opinions:pairing_list", "结对联系", Menu.PUBLIC),
        NavItem("opinions:story_list", "代表典型", Menu.PUBLIC),
    ]


# Links from a station's staff page (organisation) to what this app keeps for it ------------------------


def station_schedule_link(user, station) -> str:
    """The station's reception slots (接待安排), where its 接待时间 is kept."""
    return f"{reverse('opinions:slot_list')}?station={station.pk}" if selectors.may_see_opinions(user) else ""


def station_public_link(user, station) -> str:
    """The page a citizen reaches by the station's QR code (public)."""
    return reverse("opinions:public_station", args=[station.pk])


def station_qr_link(user, station) -> str:
    """The printable QR code of the station's public page."""
    return reverse("opinions:qr_print", args=["station", station.pk]) if selectors.may_see_opinions(user) else ""
