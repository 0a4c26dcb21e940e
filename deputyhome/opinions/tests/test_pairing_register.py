"""The pairing register (结对联系) at a province's size: each row's own 联系次数, kept on the row by the service
that logs a contact; a page read without the contacts or every deputy; every list sorts by it (decision 119)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.core.tests.reading import read
from deputyhome.opinions import services
from deputyhome.opinions.models import Pairing
from deputyhome.testing import register_rows

pytestmark = pytest.mark.django_db


def _pair(deputy, household: str, contacts: int, by) -> Pairing:
    p = Pairing.objects.create(deputy=deputy, household=household, members=2, since=datetime.date(2024, 1, 1))
    for k in range(contacts):
        services.pairing_contact_add(
            pairing=p, data={"date": datetime.date(2024, 2, 1 + k), "way": "visit", "notes": "走访"}, actor=by
        )
    return p


def _households(html: str) -> list[tuple[str, str]]:
    """(联系户, 联系次数) of each row, in order."""
    return [(cells[1], cells[5]) for cells in register_rows(html)]


@pytest.fixture
def pairings(city, personas):
    a, b, by = city.deputies_a[0], city.deputies_a[1], personas["township"]
    return [_pair(a, "田家", 3, by), _pair(a, "向家", 0, by), _pair(b, "李家", 5, by)]


def test_each_row_counts_its_own_contacts_and_the_list_sorts_by_them(login, personas, pairings):
    c = login(personas["township"])
    url = reverse("opinions:pairing_list")
    assert sorted(_households(c.get(url).content.decode())) == [("向家户", "0"), ("李家户", "5"), ("田家户", "3")]
    assert _households(c.get(f"{url}?sort=-contact_count").content.decode()) == [
        ("李家户", "5"),
        ("田家户", "3"),
        ("向家户", "0"),
    ]
    assert "sort=contact_count" in c.get(url).content.decode()  # the column's header sorts


def test_the_citys_list_is_read_without_the_contacts_or_every_deputy_and_sorts_by_them(login, personas, pairings):
    city_officer = personas["city"]
    assert scopes.about_deputies_q(city_officer) == Q() and scopes.at_stations_q(city_officer) == Q()
    assert scopes.about_deputies_q(personas["township"]) != Q()
    c = login(city_officer)
    url = reverse("opinions:pairing_list")
    c.get(url)
    page = read(c, f"{url}?sort=-contact_count")
    html = page.html
    reads = [sql for sql in page.sql if "opinions_pairing" in sql]
    # The count is the row's own: no contact is read, nothing grouped, no semi-join over every deputy.
    assert reads and not any(
        "pairingcontact" in sql or "GROUP BY" in sql or 'deputies_deputy" U0' in sql for sql in reads
    )
    assert _households(html) == [("李家户", "5"), ("田家户", "3"), ("向家户", "0")]
    assert "sort=contact_count" in c.get(url).content.decode()


def test_the_stored_count_follows_the_contacts_logged_and_a_refused_one_adds_nothing(personas, pairings):
    tian = pairings[0]
    with pytest.raises(ValidationError):
        services.pairing_contact_add(
            pairing=tian,
            data={"date": datetime.date(2023, 1, 1), "way": "visit", "notes": "结对前"},
            actor=personas["township"],
        )
    services.pairing_contact_add(
        pairing=tian,
        data={"date": datetime.date(2024, 3, 1), "way": "phone", "notes": "电话"},
        actor=personas["township"],
    )
    tian.refresh_from_db()
    assert tian.contact_count == tian.contacts.count() == 4


def test_the_register_narrows_to_a_deputy_in_scope_and_to_pairings_in_force(login, personas, pairings, city):
    """The list of 结对联系群众情况 links each deputy's count here; another township's deputy is refused by the filter."""
    c = login(personas["township"])
    url = reverse("opinions:pairing_list")
    Pairing.objects.filter(household="向家").update(ended_on=datetime.date(2024, 6, 1))
    mine = city.deputies_a[0].pk
    assert sorted(_households(c.get(url, {"deputy": mine}).content.decode())) == [("向家户", "0"), ("田家户", "3")]
    assert _households(c.get(url, {"deputy": mine, "in_force": "true"}).content.decode()) == [("田家户", "3")]
    elsewhere = _pair(city.deputies_b[0], "覃家", 0, personas["city"])
    outside = c.get(url, {"deputy": elsewhere.deputy_id}).content.decode()
    assert "覃家" not in outside and "选择一个有效的选项" in outside


def test_adding_from_a_deputys_pairings_starts_the_form_with_that_deputy(login, personas, pairings, city):
    c = login(personas["township"])
    mine = city.deputies_a[0]
    register = c.get(reverse("opinions:pairing_list"), {"deputy": mine.pk}).content.decode()
    create = reverse("opinions:pairing_create")
    assert f'href="{create}?deputy={mine.pk}"' in register
    assert f'href="{create}"' in c.get(reverse("opinions:pairing_list")).content.decode()  # not narrowed
    form = c.get(create, {"deputy": mine.pk}).content.decode()
    assert f'<option value="{mine.pk}" selected>' in form
    # Another township's deputy named in the address is not offered, nor named.
    other = city.deputies_b[0]
    outside = c.get(create, {"deputy": other.pk}).content.decode()
    assert other.name not in outside and "selected>" + other.name not in outside
