"""Suggestions of past terms (the imported ledgers) are read by scope, through `accounts.scopes`: all for the city's
users; a unit's clerk the rows their unit led or helped with and the public ones; the public ones for the others with
business data; nothing for the administrators. Each row once, however many co-units it has."""

from __future__ import annotations

import pytest

from deputyhome.organisation.models import HandlingUnit
from deputyhome.suggestions.history_selectors import history_list
from deputyhome.suggestions.models import HistoricalSuggestion


@pytest.fixture
def ledger(city, categories):
    court, works = city.unit_b, HandlingUnit.objects.create(name="市水利水电局")
    rows = {
        "led_internal": HistoricalSuggestion.objects.create(
            year=2024, title="甲", lead_unit=city.unit_a, is_public=False
        ),
        "helped_internal": HistoricalSuggestion.objects.create(year=2024, title="乙", lead_unit=court, is_public=False),
        "others_internal": HistoricalSuggestion.objects.create(year=2024, title="丙", lead_unit=works, is_public=False),
        "public": HistoricalSuggestion.objects.create(year=2024, title="丁", lead_unit=works),
    }
    rows["helped_internal"].co_units.set([city.unit_a, works])
    rows["public"].co_units.set([court, works, city.unit_a])
    return rows


def _titles(user) -> list[str]:
    return sorted(history_list(user=user).values_list("title", flat=True))


@pytest.mark.django_db
def test_each_role_reads_the_past_suggestions_of_its_scope_once(people, ledger):
    assert _titles(people["city"]) == ["丁", "丙", "乙", "甲"]
    assert _titles(people["unit"]) == ["丁", "乙", "甲"]  # led, helped with, public: each once
    assert _titles(people["unit_b"]) == ["丁", "乙"]
    for who in ("township", "group", "deputy", "supervisor"):
        expected = ["丁", "丙", "乙", "甲"] if who == "supervisor" else ["丁"]
        assert _titles(people[who]) == expected, who
    assert _titles(people["sysadmin"]) == []


@pytest.mark.django_db
def test_another_units_internal_row_is_not_among_a_clerks(people, ledger):
    visible = history_list(user=people["unit_b"])
    assert not visible.filter(pk=ledger["led_internal"].pk).exists()
    assert not visible.filter(pk=ledger["others_internal"].pk).exists()
