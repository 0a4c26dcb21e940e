"""An id or a number read from an address or a form's keys is ASCII digits the database can hold
(`core.converters.valid_id`), everywhere: "²" is a digit to `str.isdigit` but not to `int`, and it answered 500 on
the new-session form (`?congress=²`, found by a probe of odd query strings) and, by the same test, wherever a
page read an id from its address."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = "²"


def test_pages_that_read_an_id_from_their_address_refuse_an_odd_one_quietly(client, personas):
    pages = [
        ("city", "organisation:session_create", {"congress": ODD}),
        ("city", "activities:problem_create", {"activity": ODD}),
        ("city", "activities:stats", {"region": ODD}),
        ("city", "training:distribution_create", {"material": ODD, "session": ODD}),
        ("city", "training:session_create", {"plan": ODD}),
        ("city", "opinions:record", {"reception": ODD}),
        ("city", "opinions:slot_create", {"station": ODD}),
        ("sysadmin", "calendar:list", {"year": ODD}),
        ("city", "suggestions:list", {"q": f"第{ODD}号"}),
        ("city", "motions:list", {"q": f"第{ODD}号"}),
        ("deputy", "motions:create", {"session": ODD}),
        ("deputy", "suggestions:create", {"author": ODD}),
        ("supervisor", "supervision:scores", {"congress": ODD}),
    ]
    answers = {}
    for persona, name, query in pages:
        client.force_login(personas[persona])
        answers[name] = client.get(reverse(name), query).status_code
    assert all(status < 500 for status in answers.values()), answers
    assert answers["activities:stats"] == 404  # a region that cannot be
    assert answers["organisation:session_create"] == 200
