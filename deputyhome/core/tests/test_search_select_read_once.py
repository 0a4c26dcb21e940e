"""Fields that pick among the same choices read their first choices once (core.widgets.read_once)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputyhome.core.widgets import read_once, use_search
from deputyhome.organisation.models import Station
from deputyhome.testing import add_places

pytestmark = pytest.mark.django_db


class _Stations(forms.Form):
    first = forms.ModelMultipleChoiceField(queryset=None, required=False)
    second = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args, memo: dict | None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = Station.objects.order_by("name")
            use_search(self.fields[name], "station")
            if memo is not None:
                read_once(self.fields[name].widget, memo)


def _station_reads(form: forms.Form) -> int:
    with CaptureQueriesContext(connection) as ctx:
        str(form["first"]), str(form["second"])
    return sum('FROM "organisation_station"' in q["sql"] for q in ctx.captured_queries)


# A drop-down each (the ids counted, then the rows), or a search field each (the ids counted only).
@pytest.mark.parametrize(("more", "reads"), [(0, 2), (150, 1)])
def test_two_fields_of_the_same_choices_read_them_once(city, more, reads):
    add_places(city, more)
    assert _station_reads(_Stations(memo=None)) == 2 * reads
    form = _Stations(memo={})
    assert _station_reads(form) == reads
    first, second = str(form["first"]), str(form["second"])
    assert first.replace("first", "x") == second.replace("second", "x")  # the same choices, each under its name
    # Each still validates against its own queryset.
    bound = _Stations({"first": [city.station_a.pk], "second": ["999999"]}, memo={})
    assert not bound.is_valid() and list(bound.errors) == ["second"]
