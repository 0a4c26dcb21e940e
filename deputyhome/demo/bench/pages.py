"""Which pages the bench times for each persona: what the browser sweep opens (core/tests/sweep.py), i.e. every
page of the persona's menu and one detail page of each kind linked from them, plus the pages no menu links to
(the statistics API, the year's report page, the floor), and one form page (new or edit) of each kind linked from
any of those: a form renders its choices, the pages that grow fastest with a province."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpResponse

# The floor: a login-required view through the same middleware that does nothing (core.views.floor).
FLOOR = "/healthz-auth"
# Links the bench does not time as pages: they act, download or leave the site (as the sweep's SKIP).
SKIP = re.compile(
    r"logout|/records/year/|/export|\.xlsx|\.docx|\.csv|\.png|\.pdf|/download|/media/|/django-admin/|/reveal"
    r"|/healthz|/static/"
)
DETAILS_PER_PERSONA = 12
FORMS_PER_PERSONA = 40
_FORM = re.compile(r"/(?:new|edit)/$")
_NAV = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
_HREF = re.compile(r'href="(/[^"#]*)"')


def extra_pages(year: int) -> list[str]:
    """Pages that no menu links to but that every persona opens: the inbox (the 通知 link beside the menu), and
    for a persona with figures the statistics, the year's report and the hours page sorted by a figure (a link in
    its header)."""
    return [
        "/notifications/",
        f"/api/v1/stats/suggestions?year={year}",
        "/api/v1/stats/overview",
        f"/records/year/?year={year}",
        f"/training/hours/?year={year}&sort=-training_hours",
    ]


# Pages of one persona that no menu links to (a 待办 tile or a register's link does, while there is work): the
# steps of 开通代表账号, whose lists the bench province has (`people.WAITING`, `people.NEW`).
PERSONA_PAGES = {
    "city": ["/deputies/account-requests/?login=no", "/deputies/?login=pending", "/deputies/?login=asked"],
    "sysadmin": ["/deputies/accounts/open/", "/deputies/accounts/renew/", "/notifications/failed/"],
    "secadmin": ["/deputies/accounts/roles/"],
}


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def discover(visit: Callable[[str], HttpResponse], year: int, persona: str = "") -> list[str]:
    """The persona's pages: home, the menu, the extra pages, then one detail page of each kind linked from them,
    then one form page of each kind linked from any of these.

    `visit(url)` opens a page once (the caller records its status, queries and size) and gives the response;
    a redirect to another page of the site (/deputies/me/ to the deputy's own page) is followed."""
    shapes: set[str] = set()
    pages: list[str] = []
    htmls: list[str] = []

    def add(url: str) -> None:
        while url not in pages:
            pages.append(url)
            response = visit(url)
            location = response.get("Location", "") if response.status_code in (301, 302) else ""
            if location.startswith("/") and not SKIP.search(location):
                url = location
                continue
            shapes.add(_shape(urlsplit(url).path))
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                htmls.append(response.content.decode("utf-8", "replace"))

    add("/")
    nav = _NAV.search(htmls[0]) if htmls else None
    for href in _HREF.findall(nav.group(0) if nav else ""):
        if not SKIP.search(href):
            add(href.replace("&amp;", "&"))
    for url in [*extra_pages(year), *PERSONA_PAGES.get(persona, [])]:
        add(url)

    def follow(wanted: Callable[[str, str], bool], most: int) -> None:
        """Open the pages linked from those read so far whose (path, shape) is `wanted`, one of each shape, at most
        `most` of them."""
        opened = 0
        for html in list(htmls):
            for link in _HREF.findall(html):
                path = urlsplit(link).path
                shape = _shape(path)
                if SKIP.search(path) or not wanted(path, shape) or shape in shapes or opened >= most:
                    continue
                shapes.add(shape)
                opened += 1
                add(path)

    follow(lambda path, shape: "/N" in shape, DETAILS_PER_PERSONA)
    follow(lambda path, shape: bool(_FORM.search(path)), FORMS_PER_PERSONA)
    return pages
