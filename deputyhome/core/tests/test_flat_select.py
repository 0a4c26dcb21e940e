"""A drop-down written in Python (core.widgets.FlatSelect: the filter bars' drop-downs and SearchSelect's short
lists) gives the HTML Django's select template gives, up to the blank lines between options."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from deputyhome.core.widgets import FlatSelect

CHOICES = [
    ("", "全部"),
    (1, "第一季度"),
    ("a&b", 'A<"乙">'),
    (None, gettext_lazy("Unknown")),
    ("1", "again one"),  # the same value twice: only the first is selected
    (2026, 2026),
    ("safe", mark_safe("<b>已转义</b>")),
]


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


class _Multiple(FlatSelect):
    allow_multiple_selected = True


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("", {"id": "id_quarter"}),
        (1, {"id": "id_quarter", "class": "wide", "required": True, "disabled": False}),
        ("a&b", {"data-x": '"q"'}),
        (["1", "2026"], {"id": "id_x"}),
    ],
)
@pytest.mark.parametrize("multiple", [False, True])
def test_a_flat_select_writes_what_django_writes(value, attrs, multiple):
    ours = (_Multiple if multiple else FlatSelect)(attrs={"autocomplete": "off"}, choices=CHOICES)
    django = (forms.SelectMultiple if multiple else forms.Select)(attrs={"autocomplete": "off"}, choices=CHOICES)
    html = ours.render("quarter", value, attrs)
    assert _normal(html) == _normal(django.render("quarter", value, attrs))
    assert html.count("<option") == len(CHOICES)


def test_grouped_choices_are_left_to_django():
    grouped = [("", "全部"), ("城区", [(1, "甲"), (2, "乙")])]
    html = FlatSelect(choices=grouped).render("unit", 2)
    assert '<optgroup label="城区">' in html and '<option value="2" selected>乙</option>' in html


def test_the_filter_bars_drop_downs_are_flat(client, personas, city):
    client.force_login(personas["township"])
    html = client.get("/suggestions/?state=registered&is_key=true").content.decode()
    state = re.search(r'<select name="state" id="id_state">(.*?)</select>', html, re.S)
    assert state and '\n  <option value="registered" selected>已立案</option>' in state.group(1)
    assert '\n  <option value="true" selected>是</option>' in html
    assert "\n\n  <option" not in html  # no option written by Django's template (a blank line between options)
