"""The main navigation's vocabulary: the top-level menus, one entry, and how entries become the menu bar.

Each app's `nav.py` says which entries a user gets and in which menu they belong; the context processor
collects them and `build_menu` turns them into what `base.html` renders. Who sees what stays with the
apps; how it is laid out stays here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


class Menu(models.TextChoices):
    """The drop-down menus of the bar, in the order the bar shows them."""

    ORGANISATION = "organisation", _("组织与代表")
    SUGGESTIONS = "suggestions", _("代表建议")
    ACTIVITIES = "activities", _("活动与培训")
    PUBLIC = "public", _("联系群众")
    DUTY = "duty", _("履职")
    SYSTEM = "system", _("系统")


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry a user may open: a url name, its label, and its menu (None: a link on the bar itself). In its menu
    an entry of lower `order` comes first; entries of one order keep the order the apps gave them (INSTALLED_APPS)."""

    url_name: str
    label: str
    menu: Menu | None
    order: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """A rendered link. `current` is the aria-current value: "page" on the page itself, "true" below it."""

    href: str
    label: str
    current: str = ""


@dataclass(frozen=True, slots=True)
class Dropdown:
    """A rendered menu with at least two links."""

    key: str
    label: str
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def _current_href(hrefs: Iterable[str], path: str) -> tuple[str, str]:
    """The href the page belongs to and its aria-current value: the page itself, or else the deepest entry
    whose address starts the page's (a suggestion's page belongs to 代表建议). The home page only matches
    itself, or it would claim every page."""
    if path in hrefs:
        return path, "page"
    below = [href for href in hrefs if href != "/" and path.startswith(href)]
    return (max(below, key=len), "true") if below else ("", "")


@functools.lru_cache(maxsize=1024)
def _reversed(url_name: str, prefix: str, urlconf: str | None, root: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def href(url_name: str) -> str:
    """`reverse(url_name)` for an address without arguments, reversed once per process: the bar's twenty-odd
    entries are on every page. Keyed by what the answer depends on (the script prefix, the request's and the
    settings' URL conf)."""
    return _reversed(url_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


def build_menu(items: Iterable[NavItem], path: str) -> list[Link | Dropdown]:
    """The bar: links without a menu first, then each menu in `Menu` order with its entries by `order`, then in the
    order given. A menu with one entry for this user is shown as that link alone; an empty one not at all."""
    items = sorted(items, key=lambda item: item.order)
    hrefs = {item.url_name: href(item.url_name) for item in items}
    current, how = _current_href(hrefs.values(), path)

    def link(item: NavItem) -> Link:
        href = hrefs[item.url_name]
        return Link(href=href, label=item.label, current=how if href == current else "")

    bar: list[Link | Dropdown] = [link(item) for item in items if item.menu is None]
    for menu in Menu:
        links = tuple(link(item) for item in items if item.menu == menu)
        if len(links) == 1:
            bar.append(links[0])
        elif links:
            bar.append(Dropdown(key=menu.value, label=menu.label, links=links))
    return bar
