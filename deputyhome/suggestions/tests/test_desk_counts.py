"""The desks' counts: the home page's 待办 tiles and the desk pages' headings come from one query per desk (a COUNT
... FILTER per queue). Each count follows a township congress's suggestion through the real services, equals the
rows its queue lists, and leaves out other townships' and other units' work; the home pages and the inbox read the
same number of queries with few and many suggestions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.conftest import PASSWORD
from deputyhome.organisation.choices import CongressLevel, RegionKind, UnitKind
from deputyhome.organisation.models import Congress, HandlingUnit, Region
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import AssignmentStatus, ExtensionStatus, ReviewStatus, State, UnitRole
from deputyhome.suggestions.models import Assignment, Extension, Forward, Reply, Suggestion
from deputyhome.suggestions.queues import desk_for
from deputyhome.testing import home_tiles, reply_to

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.date(2021, 10, 1)


def at(y, m, d):
    return time_machine.travel(datetime.datetime(y, m, d, 10, 0, tzinfo=TZ), tick=False)


def _user(username: str, role: str, **anchor) -> User:
    user = User(username=username, role=role, display_name=username, **anchor)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def towns(city, people):
    """白杨坪镇's congress (its officer: township_b), its office and a city unit with their clerks, a township deputy
    with a login, and a second town (龙凤镇) with its own congress, officer and a submitted suggestion."""
    longfeng = Region.objects.create(code="422801102", name="龙凤镇", kind=RegionKind.TOWN, parent=city.city)
    other_congress = Congress.objects.create(
        level=CongressLevel.TOWNSHIP, term=19, name="龙凤镇第十九届人民代表大会", region=longfeng, start_date=START
    )
    office = HandlingUnit.objects.create(name="白杨坪镇农业服务中心", kind=UnitKind.GOVERNMENT, region=city.township_b)
    transport = HandlingUnit.objects.create(name="市交通运输局", kind=UnitKind.GOVERNMENT, region=city.city)
    theirs = _suggestion(city, people["city"], "龙凤镇的建议", congress=other_congress, region=longfeng)
    return {
        "officer": people["township_b"],
        "office": office,
        "transport": transport,
        "deputy": _user("tdeputy", Role.DEPUTY, deputy=city.deputies_b[0]),
        "office_clerk": _user("office", Role.UNIT_CLERK, unit=office),
        "transport_clerk": _user("transport", Role.UNIT_CLERK, unit=transport),
        "other_officer": _user("longfeng", Role.TOWNSHIP_OFFICER, region=longfeng),
        "theirs": theirs,
    }


TOWN = object()  # 白杨坪镇's congress


def _suggestion(city, staff, title: str, *, state=State.SUBMITTED, congress=TOWN, region=None, **fields):
    """A suggestion written straight into the table (the counts' data; the course itself is the services').
    `congress` None: the city's (a suggestion without a congress)."""
    return Suggestion.objects.create(
        title=title,
        proposals="内容",
        author=city.deputies_b[0],
        region=region or city.township_b,
        congress=city.township_congress_b if congress is TOWN else congress,
        created_by=staff,
        year=2026,
        state=state,
        submitted_at=timezone.now(),
        **fields,
    )


def test_a_township_desks_tiles_follow_its_suggestion_through_the_services(client, city, people, categories, towns):
    cats, classes = categories
    officer, other = towns["officer"], towns["other_officer"]
    with at(2026, 3, 2):
        s = sv.suggestion_create(
            author=towns["deputy"].deputy,
            data={"title": "关于硬化洞下槽村通组公路的建议", "proposals": "硬化", "congress": city.township_congress_b},
            actor=towns["deputy"],
        )
        assert home_tiles(client, officer)["待审查"] == 0  # a draft is nobody's business yet
        sv.suggestion_submit(suggestion=s, actor=towns["deputy"])
        assert home_tiles(client, officer)["待审查"] == 1
        assert home_tiles(client, other)["待审查"] == 1  # its own, not 白杨坪镇's
        assert home_tiles(client, people["city"])["待审查"] == 0  # the city's desk runs the city's suggestions
        sv.suggestion_register(suggestion=s, category=cats["其他"], actor=officer)
        tiles = home_tiles(client, officer)
        assert tiles["待审查"] == 0 and tiles["待交办（含单位申请退回）"] == 1
        sv.suggestion_assign(suggestion=s, lead_unit=towns["office"], actor=officer)
        assert home_tiles(client, officer)["待交办（含单位申请退回）"] == 0
        assert home_tiles(client, towns["office_clerk"])["新交办（待签收）"] == 1
        assert home_tiles(client, people["unit"])["新交办（待签收）"] == 0  # another unit's inbox
        sv.suggestion_receive(suggestion=s, actor=towns["office_clerk"])
        tiles = home_tiles(client, towns["office_clerk"])
        assert tiles["新交办（待签收）"] == 0 and tiles["办理中"] == 1
        sv.suggestion_request_extension(suggestion=s, months=1, reason="需协调资金", actor=towns["office_clerk"])
        assert home_tiles(client, officer)["延期申请待审批"] == 1
        assert home_tiles(client, people["city"])["延期申请待审批"] == 0
        assert home_tiles(client, other)["延期申请待审批"] == 0
        sv.suggestion_forward_up(suggestion=s, unit=towns["transport"], note="请市交通运输局支持", actor=officer)
        assert home_tiles(client, officer)["转请市级办理待答复"] == 1
        assert home_tiles(client, other)["转请市级办理待答复"] == 0
        assert home_tiles(client, towns["transport_clerk"])["乡镇转来待答复"] == 1
        assert home_tiles(client, people["city"])["乡镇转来事项"] == 1
        # The desk page's headings give the same counts.
        client.force_login(officer)
        desk = client.get(reverse("suggestions:desk")).content.decode()
        assert "延期申请待审批（1）" in desk and "转请市级办理待答复（1）" in desk and "待审查（0）" in desk
    with at(2026, 7, 10):  # past the due date (three months from 2 March, unextended): overdue
        clerk = towns["office_clerk"]
        assert home_tiles(client, clerk)["已逾期"] == 1
        assert home_tiles(client, officer)["已逾期"] == 1
        assert home_tiles(client, other)["已逾期"] == 0
        sv.suggestion_consult(suggestion=s, date=datetime.date(2026, 7, 10), way="phone", notes="电话沟通", actor=clerk)
        reply_to(s, clerk, classes["A"], text="已硬化")
        assert home_tiles(client, officer)["待审核答复"] == 1
        assert home_tiles(client, clerk)["已逾期"] == 0


@pytest.fixture
def work(city, people, towns, categories):
    """Suggestions in every queue of the desks, of 白杨坪镇's congress and of the city's, with units and forwards."""
    today = timezone.localdate()
    late, soon = today - datetime.timedelta(days=5), today + datetime.timedelta(days=10)
    staff, unit_a = people["city"], city.unit_a
    made = {}
    # The city's: with its congress or none (the city's too).
    for congress, tag in ((city.township_congress_b, "乡"), (None, "市")):

        def make(title, congress=congress, tag=tag, **kw):
            return _suggestion(city, staff, f"{tag}{title}", congress=congress, **kw)

        made[tag] = [
            make("待审查", congress=congress if tag == "乡" else city.city_congress),
            make("待交办", state=State.REGISTERED, number=1),
            make("待审核", state=State.REPLIED, due_on=soon),
            make("逾期", state=State.HANDLING, due_on=late),
            make("即将到期", state=State.HANDLING, due_on=soon),
            make("新交办", state=State.ASSIGNED, due_on=soon),
            make("重新办理", state=State.REHANDLING, due_on=late, is_key=True),
        ]
    for s in made["乡"][3:] + made["市"][3:]:
        unit = towns["office"] if s.congress_id == city.township_congress_b.pk else unit_a
        Assignment.objects.create(suggestion=s, unit=unit, role=UnitRole.LEAD, assigned_on=today)
    Assignment.objects.create(
        suggestion=made["市"][1], unit=unit_a, role=UnitRole.LEAD, status=AssignmentStatus.RETURNED, assigned_on=today
    )
    for s, unit, status in (
        (made["乡"][4], towns["office"], ExtensionStatus.PENDING),
        (made["市"][4], unit_a, ExtensionStatus.PENDING),
        (made["市"][3], unit_a, ExtensionStatus.APPROVED),
    ):
        Extension.objects.create(suggestion=s, unit=unit, months=1, reason="资金", old_due_on=s.due_on, status=status)
    _, classes = categories
    Reply.objects.create(
        suggestion=made["市"][4],
        unit=unit_a,
        text="初稿",
        result_class=classes["A"],
        submitted_on=today,
        review_status=ReviewStatus.SENT_BACK,
    )
    for s, due in ((made["乡"][0], late), (made["乡"][4], soon)):
        Forward.objects.create(
            suggestion=s, unit=unit_a, forwarded_by=towns["officer"], forwarded_on=today, due_on=due, note="请答复"
        )
    return made


DESK_USERS = ("city", "township_b", "unit", "supervisor", "deputy", "office_clerk", "other_officer")


def test_each_desks_counts_are_its_queues_rows(people, towns, work):
    """One COUNT ... FILTER per queue (scoped) or one count per queue (city-wide): the same numbers as the rows."""
    users = {**people, **towns}
    non_empty = 0
    for name in DESK_USERS:
        desk = desk_for(users[name], timezone.localdate())
        counts = desk.counts()
        assert counts == {q.key: desk.rows(q).count() for q in desk.queues}, name
        non_empty += sum(1 for n in counts.values() if n)
    assert non_empty >= 15


def test_each_desk_page_lists_its_queues_first_rows_in_their_order(people, towns, work):
    """The desk page reads every non-empty queue's first rows at once (one UNION ALL on PostgreSQL): the same rows, in
    the same order, as each queue's own query."""
    users = {**people, **towns}
    for name in DESK_USERS:
        desk = desk_for(users[name], timezone.localdate())
        counts = desk.counts()
        listed = desk.first_rows(counts, 2)  # two a queue: the cut falls inside some queues
        for q in desk.queues:
            expected = list(desk.rows(q, counts).values_list("pk", flat=True)[:2])
            assert [r["pk"] for r in listed.get(q.key, [])] == expected, (name, q.key)


def test_the_counts_of_the_township_and_of_the_unit(people, towns, work):
    today = timezone.localdate()
    # The city's desk: the city's own (with its congress or without), and every township's forwards (read-only).
    city_desk = desk_for(people["city"], today).counts()
    assert city_desk == {"screen": 1, "assign": 1, "review": 1, "extensions": 1, "overdue": 2, "forwards": 2}
    township = desk_for(towns["officer"], today).counts()
    # Its own congress's only: one of each, its extension, and the forwards of its suggestions to the city.
    assert township == {"screen": 1, "assign": 1, "review": 1, "extensions": 1, "overdue": 2, "forwards": 2}
    assert desk_for(towns["other_officer"], today).counts() == dict.fromkeys(township, 0) | {"screen": 1}
    unit = desk_for(people["unit"], today).counts()
    # Unit A: the city's four it handles, the township's two forwards (one late), the returned assignment.
    assert unit == {
        "new": 1,
        "soon": 2,
        "forwarded": 2,
        "overdue": 3,
        "handling": 3,
        "sent_back": 1,
        "returned": 1,
    }


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more(city, people, towns, n: int) -> None:
    """`n` more of each kind of work for 白杨坪镇 and unit A."""
    today = timezone.localdate()
    for i in range(n):
        for state in (State.SUBMITTED, State.REGISTERED, State.REPLIED):
            _suggestion(city, people["city"], f"更多{state}{i}", state=state)
        congress = city.city_congress
        mine = _suggestion(city, people["city"], f"更多办理{i}", state=State.HANDLING, due_on=today, congress=congress)
        Assignment.objects.create(suggestion=mine, unit=city.unit_a, role=UnitRole.LEAD, assigned_on=today)


# The session and the user; the desk's title (the township's congress and region), the desk's counts (one query),
# the motions, problems, referrals and opinions waiting (one each), the station norms' three counts (the groups not
# met this quarter, the deputies not come yet and short of households: their scope's snapshot and the "changed
# since?" check), the overview (the same two), the suggestions by level (one), the names of the regions above, the
# unread count.
TOWNSHIP_HOME = 16
# The session, the user, the unit (the desk's title), the desk's counts, the referrals waiting, the unread count.
UNIT_HOME = 6


# The same but the referrals, and the first rows of the queues that hold something (here all seven): in one query
# where the database allows LIMIT inside a UNION ALL (PostgreSQL), else one query a queue.
def unit_inbox_queries() -> int:
    return 5 + (1 if connection.features.supports_slicing_ordering_in_compound else 7)


def test_the_home_pages_and_the_inbox_read_the_same_queries_with_few_and_many(client, city, people, towns, work):
    client.force_login(towns["officer"])
    client.get("/")  # its overview's snapshot computed; then read
    township = _queries(client, "/")
    client.force_login(people["unit"])
    unit_home, inbox = _queries(client, "/"), _queries(client, reverse("suggestions:inbox"))
    _more(city, people, towns, 12)
    client.force_login(towns["officer"])
    assert _queries(client, "/") == township == TOWNSHIP_HOME
    client.force_login(people["unit"])
    assert _queries(client, "/") == unit_home == UNIT_HOME
    assert _queries(client, reverse("suggestions:inbox")) == inbox == unit_inbox_queries()


def test_an_empty_queue_is_not_asked_for_its_rows(client, people, towns, work):
    client.force_login(towns["other_officer"])  # 龙凤镇: one suggestion to screen, the other five queues empty
    html = client.get(reverse("suggestions:desk")).content.decode()
    assert "待审查（1）" in html and "龙凤镇的建议" in html and "待交办（含单位申请退回）（0）" in html
    assert "乡待审查" not in html  # 白杨坪镇's, on its own desk only
    client.force_login(towns["officer"])
    assert "乡待审查" in client.get(reverse("suggestions:desk")).content.decode()
    client.force_login(towns["other_officer"])
    # The session, the user, its congress and region, the calendar's notice, the counts, one queue's rows, the unread.
    assert _queries(client, reverse("suggestions:desk")) == 8
