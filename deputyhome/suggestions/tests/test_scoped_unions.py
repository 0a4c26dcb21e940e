"""A scoped user's suggestions are one IN over a union of id lists (decision 84): a unit's are those assigned or
forwarded to it, a township officer's those of their township and their own, with their own drafts; the unit's
overdue queue takes assignments and forwards past their dates. The rows are the same as before, the WHERE has
no OR across joins (which read every suggestion of a province), and the unit's pages read the same number of
queries with few and many suggestions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.suggestions.choices import AssignmentStatus, State, UnitRole
from deputyhome.suggestions.forward_models import Forward
from deputyhome.suggestions.models import Assignment, Suggestion
from deputyhome.suggestions.queues import desk_for
from deputyhome.suggestions.selectors import suggestion_list

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LATE = TODAY - datetime.timedelta(days=3)
LATER = TODAY + datetime.timedelta(days=30)


def _suggestion(title: str, *, city, staff, state=State.HANDLING, due_on=LATER, region=None, author=None):
    return Suggestion.objects.create(
        title=title,
        proposals="内容",
        author=author or city.deputies_a[0],
        region=region or city.township_a,
        created_by=staff,
        year=TODAY.year,
        state=state,
        due_on=due_on,
        submitted_at=timezone.now(),
    )


def _assign(suggestion, unit, role=UnitRole.LEAD, status=AssignmentStatus.ACTIVE):
    return Assignment.objects.create(suggestion=suggestion, unit=unit, role=role, status=status, assigned_on=TODAY)


def _forward(suggestion, unit, staff, due_on=LATER):
    return Forward.objects.create(
        suggestion=suggestion, unit=unit, forwarded_by=staff, forwarded_on=TODAY, due_on=due_on, note="请答复"
    )


def _where(qs) -> str:
    return str(qs.query).split(" WHERE ", 1)[1]


@pytest.fixture
def work(people, city):
    staff = people["city"]
    make = lambda title, **kw: _suggestion(title, city=city, staff=staff, **kw)  # noqa: E731
    assigned = make("交给甲单位的")
    _assign(assigned, city.unit_a)
    co = make("甲单位协办的")
    _assign(co, city.unit_b)
    _assign(co, city.unit_a, role=UnitRole.CO)
    late = make("甲单位逾期的", due_on=LATE)
    _assign(late, city.unit_a)
    returned = make("甲单位退回的", due_on=LATE)
    _assign(returned, city.unit_a, status=AssignmentStatus.RETURNED)
    forwarded = make("转给甲单位的", region=city.township_b, author=city.deputies_b[0])
    _forward(forwarded, city.unit_a, people["township_b"])
    forwarded_late = make("转给甲单位已过期的", region=city.township_b, author=city.deputies_b[0])
    _forward(forwarded_late, city.unit_a, people["township_b"], due_on=LATE)
    other = make("交给乙单位的", due_on=LATE)
    _assign(other, city.unit_b)
    elsewhere = make("乙乡镇的", region=city.township_b, author=city.deputies_b[0])
    draft = make("城市工作人员的草稿", state=State.DRAFT)
    return {k: v for k, v in locals().items() if isinstance(v, Suggestion)}


def test_a_units_suggestions_are_those_assigned_or_forwarded_to_it_through_one_union(people, work):
    unit = people["unit"]
    qs = suggestion_list(user=unit)
    titles = set(qs.values_list("title", flat=True))
    assert titles == {
        "交给甲单位的",
        "甲单位协办的",
        "甲单位逾期的",
        "甲单位退回的",
        "转给甲单位的",
        "转给甲单位已过期的",
    }
    # Without the forwarded: what was assigned to it (the unit's statistics).
    assigned = set(suggestion_list(user=unit, forwarded=False).values_list("title", flat=True))
    assert assigned == titles - {"转给甲单位的", "转给甲单位已过期的"}
    where = _where(qs)
    assert where.startswith('"suggestions_suggestion"."id" IN (') and "UNION" in where
    assert '"unit_id" = ' in where and " OR " not in where


def test_a_township_officer_sees_the_township_and_their_own_drafts_through_one_union(people, city, work):
    officer = people["township"]
    mine = _suggestion("乡镇工作人员的草稿", city=city, staff=officer, state=State.DRAFT)
    qs = suggestion_list(user=officer)
    titles = set(qs.values_list("title", flat=True))
    in_township = {s.title for s in work.values() if s.region_id == city.township_a.pk and s.state != State.DRAFT}
    assert titles == in_township | {mine.title}
    assert "乙乡镇的" not in titles and "城市工作人员的草稿" not in titles
    where = _where(qs)
    assert where.startswith('"suggestions_suggestion"."id" IN (') and "UNION" in where


def test_a_deputys_own_draft_and_suggestions_through_one_union(people, city, work):
    deputy = people["deputy"]  # deputies_a[3]
    own = _suggestion("代表自己的", city=city, staff=people["city"], author=city.deputies_a[3])
    draft = _suggestion("代表的草稿", city=city, staff=deputy, author=city.deputies_a[3], state=State.DRAFT)
    qs = suggestion_list(user=deputy)
    assert set(qs.values_list("pk", flat=True)) == {own.pk, draft.pk}
    assert _where(qs).startswith('"suggestions_suggestion"."id" IN (')


def test_the_city_sees_every_suggestion_but_others_drafts(people, work):
    titles = set(suggestion_list(user=people["city"]).values_list("title", flat=True))
    assert titles == {s.title for s in work.values()}  # its own draft included
    supervisor = set(suggestion_list(user=people["supervisor"]).values_list("title", flat=True))
    assert supervisor == titles - {"城市工作人员的草稿"}


def test_the_units_overdue_queue_takes_late_assignments_and_late_forwards(people, work):
    desk = desk_for(people["unit"], TODAY)
    queue = desk.queue("overdue")
    overdue = set(desk.rows(queue).values_list("title", flat=True))
    # Not the returned assignment, not the ones not yet due, not unit B's.
    assert overdue == {"甲单位逾期的", "转给甲单位已过期的"}
    assert desk.counts()["overdue"] == 2
    sql = str(desk.rows(queue).query)
    assert "UNION" in sql and "EXISTS" not in sql


def _reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_units_pages_read_the_same_queries_with_few_and_many_suggestions(client, people, city, work):
    client.force_login(people["unit"])
    urls = [reverse("suggestions:inbox"), reverse("suggestions:list"), "/"]
    few = [_reads(client, url) for url in urls]
    for n in range(12):
        s = _suggestion(f"更多{n}", city=city, staff=people["city"], due_on=LATE if n % 2 else LATER)
        _assign(s, city.unit_a)
        t = _suggestion(f"更多转办{n}", city=city, staff=people["city"], region=city.township_b)
        _forward(t, city.unit_a, people["township_b"], due_on=LATE if n % 2 else LATER)
    many = [_reads(client, url) for url in urls]
    assert many == few


def test_another_units_suggestion_is_refused(client, people, work):
    client.force_login(people["unit"])
    assert client.get(reverse("suggestions:detail", args=[work["other"].pk])).status_code == 404
    assert client.get(reverse("suggestions:detail", args=[work["assigned"].pk])).status_code == 200
