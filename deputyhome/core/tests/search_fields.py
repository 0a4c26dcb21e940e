"""Checks shared by the form-scale tests of the apps: a field searched as you type (core.widgets.SearchSelect)
instead of a list of every deputy, the chosen rows shown again, and what the search answers."""

from __future__ import annotations

import re

from django.urls import reverse

from deputyhome.testing import largest_select

OUT_OF_SCOPE = "不存在或不在您的管辖范围内"


def light(html: str) -> None:
    """No drop-down or box list of every deputy: at most 100 options or boxes, none of the added deputies (王0 …
    王149, `testing.add_deputies`) listed."""
    assert largest_select(html) <= 100
    assert html.count('type="checkbox"') <= 100
    assert ">王149" not in html and "王149（" not in html and len(html) < 200_000


def search_field(html: str, name: str, kind: str) -> bool:
    """The field `name` is searched as you type (choices of `kind`), not a drop-down."""
    return f'hx-get="/choices/{kind}/?field={name}"' in html and f'<select name="{name}"' not in html


def chosen(html: str, name: str, pk: int) -> bool:
    """The row `pk` is shown chosen in the searched field `name`."""
    return bool(re.search(rf'name="{name}" value="{pk}" checked', html))


def searched(client, kind: str, field: str, q: str) -> list[int]:
    """The ids the search of `kind` offers the field `field` for `q`."""
    html = client.get(reverse("core:choice_search", args=[kind]), {"field": field, f"{field}_q": q}).content.decode()
    return [int(pk) for pk in re.findall(rf'name="{field}" value="(\d+)"', html)]
