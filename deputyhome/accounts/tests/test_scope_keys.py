"""A user's scope as a key (for figures computed ahead per scope) and back: the user rebuilt from the key sees
exactly the rows the user sees, and users of different scopes never share a key."""

from __future__ import annotations

import pytest

from deputyhome.accounts import scopes
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import DeputyGroup, Station
from deputyhome.suggestions.models import Suggestion


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city", "township", "township_b", "group", "deputy", "unit", "supervisor"])
def test_the_user_of_a_key_sees_what_the_user_sees(city, personas, persona):
    user = personas[persona]
    rebuilt = scopes.scope_user(scopes.scope_key(user))
    assert rebuilt.pk is None and rebuilt.scope_kind == user.scope_kind
    for model, rule in (
        (Deputy, scopes.deputies_q),
        (DeputyGroup, scopes.groups_q),
        (Station, scopes.stations_q),
        (Suggestion, scopes.suggestions_q),
    ):
        assert set(model.objects.filter(rule(rebuilt)).values_list("pk", flat=True)) == set(
            model.objects.filter(rule(user)).values_list("pk", flat=True)
        ), model


@pytest.mark.django_db
def test_keys_differ_by_scope_and_the_citys_users_share_one_per_role(city, personas):
    keys = {name: scopes.scope_key(user) for name, user in personas.items()}
    assert keys["township"] != keys["township_b"]
    assert keys["group"] != keys["deputy"]
    assert keys["city"] == "city_officer" and keys["supervisor"] == "supervisor"
    assert len({keys[p] for p in ("township", "township_b", "group", "deputy", "unit", "city")}) == 6
