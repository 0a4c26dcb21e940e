"""Which congress a suggestion goes to: the deputy's mandates decide (issue 11, item 1)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from deputyhome.deputies.models import Mandate
from deputyhome.suggestions import services
from deputyhome.suggestions.models import Suggestion

TODAY = datetime.date.today()


@pytest.mark.django_db
def test_a_city_deputy_goes_to_the_city_and_a_deputy_of_both_chooses(city, personas):
    street_deputy = city.deputies_a[1]  # 六角亭街道: a street, no congress of its own
    assert [c.pk for c in services.congresses_for(deputy=street_deputy, day=TODAY)] == [city.city_congress.pk]
    both = city.deputies_b[0]  # 白杨坪镇: a city and a township mandate
    assert [c.pk for c in services.congresses_for(deputy=both, day=TODAY)] == [
        city.city_congress.pk,
        city.township_congress_b.pk,
    ]
    # Unchosen, the city's; chosen, the township's.
    s = services.suggestion_create(author=both, data={"title": "甲"}, actor=personas["city"])
    assert s.congress_id == city.city_congress.pk
    t = services.suggestion_create(
        author=both, data={"title": "乙", "congress": city.township_congress_b}, actor=personas["city"]
    )
    assert t.congress_id == city.township_congress_b.pk


@pytest.mark.django_db
def test_a_township_only_deputy_goes_to_the_township_and_may_not_choose_the_city(city, personas):
    deputy = city.deputies_b[2]
    Mandate.objects.filter(deputy=deputy).update(congress=city.township_congress_b)
    assert [c.pk for c in services.congresses_for(deputy=deputy, day=TODAY)] == [city.township_congress_b.pk]
    s = services.suggestion_create(author=deputy, data={"title": "丙"}, actor=personas["city"])
    assert s.congress_id == city.township_congress_b.pk
    before = Suggestion.objects.count()
    with pytest.raises(ValidationError, match="不是.*的代表"):
        services.suggestion_create(
            author=deputy, data={"title": "丁", "congress": city.city_congress}, actor=personas["city"]
        )
    assert Suggestion.objects.count() == before


@pytest.mark.django_db
def test_a_deputy_without_a_city_or_township_mandate_goes_to_the_county_congress_over_them(city, personas):
    deputy = city.deputies_b[3]
    Mandate.objects.filter(deputy=deputy).delete()  # e.g. a deputy to the prefecture's congress only
    assert [c.pk for c in services.congresses_for(deputy=deputy, day=TODAY)] == [city.city_congress.pk]
