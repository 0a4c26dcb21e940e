"""Tables of suggestions at a province's size: the register, the supervisors' board and a township's desk
read the same number of queries with few and many suggestions, join only what their columns show, and a
township's desk lists none of another township's suggestions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Suggestion
from deputyhome.suggestions.views import SuggestionList

pytestmark = pytest.mark.django_db


def _add(n: int, *, author, region, staff, congress=None, start: int = 0, **fields) -> None:
    """n suggestions in each of the board's and the desk's states (set up directly: the course is tested elsewhere)."""
    today = timezone.localdate()
    late = today - datetime.timedelta(days=3)
    shapes = [
        {"state": State.SUBMITTED, "submitted_at": timezone.now()},
        {"state": State.HANDLING, "due_on": late, "is_key": True},
        {"state": State.REHANDLING, "due_on": late},
        {"state": State.CLOSED, "follow_up_on": late},
    ]
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                title=f"批量建议{start + i}-{k}",
                proposals="建议内容" * 50,
                author=author,
                region=region,
                congress=congress,
                created_by=staff,
                year=today.year,
                number=(start + i) * len(shapes) + k + 1,
                **shape,
                **fields,
            )
            for i in range(n)
            for k, shape in enumerate(shapes)
        ]
    )


def _read(client, name: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


@pytest.mark.parametrize(
    ("persona", "name"),
    [("city", "suggestions:list"), ("supervisor", "suggestions:board"), ("township", "suggestions:list")],
)
def test_tables_read_the_same_queries_with_4_and_120_suggestions(client, personas, city, persona, name):
    client.force_login(personas[persona])
    kwargs = {"author": city.deputies_a[0], "region": city.township_a, "staff": personas["city"]}
    _add(1, **kwargs)
    few, _ = _read(client, name)
    _add(29, start=1, **kwargs)
    many, html = _read(client, name)
    assert len(many) == len(few)
    assert "批量建议" in html
    # The rows carry neither the long texts nor the relations no column shows.
    rows = [sql for sql in many if 'FROM "suggestions_suggestion"' in sql and "LIMIT" in sql and "COUNT" not in sql]
    assert rows
    for sql in rows:
        assert '"proposals"' not in sql and '"situation"' not in sql
        assert "organisation_congress" not in sql and "suggestions_resultclass" not in sql
    if name == "suggestions:list":  # nor the author's personal data
        assert all('"id_number"' not in sql and '"phone"' not in sql for sql in rows)


def test_a_township_s_register_lists_none_of_another_township_s_suggestions(client, personas, city):
    _add(2, author=city.deputies_a[0], region=city.township_a, staff=personas["city"])
    _add(2, start=10, author=city.deputies_b[0], region=city.township_b, staff=personas["city"])
    Suggestion.objects.filter(region=city.township_a).update(title="本镇建议")
    Suggestion.objects.filter(region=city.township_b).update(title="别处建议")
    client.force_login(personas["township"])
    html = _read(client, "suggestions:list")[1]
    assert "本镇建议" in html and "别处建议" not in html and "共 8 条" in html
    other = Suggestion.objects.filter(title="别处建议").first()
    assert client.get(reverse("suggestions:detail", args=[other.pk])).status_code == 404


def test_a_township_desk_reads_the_same_queries_and_shows_only_its_township(client, personas, city):
    officer = personas["township_b"]
    client.force_login(officer)
    ours = {
        "author": city.deputies_b[0],
        "region": city.township_b,
        "staff": officer,
        "congress": city.township_congress_b,
    }
    _add(1, **ours)
    few, _ = _read(client, "suggestions:desk")
    _add(29, start=1, **ours)
    # Another township's suggestions, in the same states, are not on this desk.
    _add(5, start=100, author=city.deputies_a[0], region=city.township_a, staff=personas["city"])
    Suggestion.objects.filter(region=city.township_a).update(title="别处建议")
    many, html = _read(client, "suggestions:desk")
    assert len(many) == len(few)
    assert "批量建议" in html and "别处建议" not in html
    # The city's officer sees them on the city's desk: the filter above is the township's scope, not the data.
    client.force_login(personas["city"])
    assert "别处建议" in _read(client, "suggestions:desk")[1]


def test_the_register_s_default_order_is_the_order_of_its_index():
    """The first page of the register walks an index (number descending, then id) instead of sorting the table:
    RegisterView adds the primary key ascending after the sort column."""
    assert SuggestionList.default_sort == "-number"
    assert any(list(index.fields) == ["-number", "id"] for index in Suggestion._meta.indexes)
