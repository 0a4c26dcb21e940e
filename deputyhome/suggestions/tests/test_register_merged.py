"""The register export reads the suggestions and their units, co-signers and evaluations as four sorted streams
and merges them: every row carries its own suggestion's related values, in any of the register's orders, with
ties between congresses, across a write between the queries, in four queries and flat memory at any size."""

from __future__ import annotations

import datetime
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from deputyhome.deputies.models import Deputy
from deputyhome.organisation.choices import UnitKind
from deputyhome.organisation.models import HandlingUnit
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import AssignmentStatus, Satisfaction, UnitRole
from deputyhome.suggestions.ledger import HEADER, register_file, register_rows
from deputyhome.suggestions.models import Assignment, CoSigner, Evaluation, Suggestion
from deputyhome.suggestions.selectors import suggestion_list
from deputyhome.testing_snapshots import analyze

pytestmark = pytest.mark.django_db

COSIGNERS, LEAD, CO, SATISFACTION = (HEADER.index(h) for h in ("联名代表", "主办单位", "协办单位", "满意度"))
RESULTS = [Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED]


@pytest.fixture
def base(city, people, session, categories):
    """A registered suggestion to copy, and the units and deputies the copies take their related rows from."""
    cats, _ = categories
    s = sv.suggestion_create(
        author=people["deputy"].deputy,
        data={"title": "关于停车难的建议", "proposals": "增设停车位", "session": session},
        actor=people["deputy"],
    )
    sv.suggestion_submit(suggestion=s, actor=people["deputy"])
    sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=people["city"])
    HandlingUnit.objects.create(name="市交通运输局", kind=UnitKind.GOVERNMENT, region=city.city)
    units = list(HandlingUnit.objects.order_by("pk")[:3])
    deputies = list(Deputy.objects.order_by("pk")[:5])
    assert len(units) == 3 and len(deputies) == 5
    return {
        "s": Suggestion.objects.get(pk=s.pk),
        "session": session,
        "city": city,
        "units": units,
        "deputies": deputies,
    }


def _copies(base, count: int, start: int = 0, every: int = 1) -> None:
    """`count` registered suggestions, two years, in session and in recess, with a township congress's twin of
    every fourth (same year and number: a tie the register breaks by id); each with its own co-signers, units
    and evaluation (every `every`-th of them), chosen by its index so that a row given another suggestion's
    values shows it."""
    s, units, deputies = base["s"], base["units"], base["deputies"]
    rows: list[Suggestion] = []
    for i in range(start, start + count):
        in_session = i % 3 == 0
        fields = {"year": 2025 + i % 2, "session": base["session"] if in_session else None, "number": 10 + i}
        rows.append(_copy(s, f"建议{i}", fields))
        if i % 4 == 1 and not in_session:
            rows.append(_copy(s, f"建议{i}乙", {**fields, "congress": base["city"].township_congress_b}))
    Suggestion.objects.bulk_create(rows, batch_size=500)
    cosigners, assignments, evaluations = [], [], []
    when = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    made = Suggestion.objects.filter(number__gte=10 + start, number__lt=10 + start + count)
    for pk, number, congress in made.values_list("pk", "number", "congress_id"):
        k = number + (7 if congress else 0)
        if k % 5 and not k % every:  # some have no co-signers, no units, no evaluation
            first, second = deputies[k % 5], deputies[(k + 2) % 5]
            cosigners += [CoSigner(suggestion_id=pk, deputy=d, confirmed_at=when) for d in (second, first)]
            assignments.append(_unit(pk, units[k % 3], UnitRole.LEAD))
            assignments.append(_unit(pk, units[(k + 1) % 3], UnitRole.CO))
            evaluations.append(_evaluation(pk, first, 1, RESULTS[k % 3]))
            evaluations.append(_evaluation(pk, second, 1, "", none=True))
        if k % 7 == 0:
            assignments.append(_unit(pk, units[(k + 2) % 3], UnitRole.CO, status=AssignmentStatus.RETURNED))
            evaluations.append(_evaluation(pk, deputies[0], 2, RESULTS[0]))  # another round: not shown
    CoSigner.objects.bulk_create(cosigners, batch_size=1000)
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    Evaluation.objects.bulk_create(evaluations, batch_size=1000)
    analyze(*(m._meta.db_table for m in (Suggestion, CoSigner, Assignment, Evaluation)))


def _copy(s: Suggestion, title: str, fields: dict) -> Suggestion:
    copy = Suggestion(**{f.attname: getattr(s, f.attname) for f in Suggestion._meta.concrete_fields})
    copy.pk, copy.title, copy.public_token = None, title, title
    for name, value in fields.items():
        setattr(copy, name, value)
    return copy


def _unit(pk, unit, role, status=AssignmentStatus.ACTIVE) -> Assignment:
    return Assignment(suggestion_id=pk, unit=unit, role=role, status=status, assigned_on=datetime.date(2026, 2, 1))


def _evaluation(pk, deputy, rnd, result, none=False) -> Evaluation:
    return Evaluation(
        suggestion_id=pk,
        deputy=deputy,
        round=rnd,
        result=result,
        no_response=none,
        evaluated_on=datetime.date(2026, 3, 1),
    )


def _expected(s: Suggestion) -> tuple[str, str, str, str]:
    """What the register should say of `s`, looked up one suggestion at a time."""
    cosigners = "、".join(c.deputy.name for c in s.cosigners.filter(confirmed_at__isnull=False).order_by("id"))
    active = s.assignments.filter(status=AssignmentStatus.ACTIVE).order_by("id")
    lead = "、".join(a.unit.name for a in active if a.role == UnitRole.LEAD)
    co = "、".join(a.unit.name for a in active if a.role == UnitRole.CO)
    labels = dict(Satisfaction.choices)
    last = s.evaluations.filter(round=s.round).order_by("id")
    said = "；".join(f"{e.deputy.name}：{'逾期未评价' if e.no_response else labels.get(e.result, '')}" for e in last)
    return cosigners, lead, co, said


def _register(user, *order) -> list[tuple]:
    qs = suggestion_list(user=user).filter(number__isnull=False)
    file = register_file(qs=qs.order_by(*order) if order else qs)
    rows = load_workbook(io.BytesIO(file.content), read_only=True).active.iter_rows(min_row=3, values_only=True)
    return [row + (None,) * (len(HEADER) - len(row)) for row in rows]  # empty cells at the end are not read


@pytest.mark.parametrize("order", [("year", "session_id", "number"), (), ("-number", "year"), ("-year", "-id")])
def test_every_row_carries_its_own_suggestions_units_cosigners_and_evaluations(base, people, order):
    _copies(base, 60)
    rows = _register(people["city"], *order)
    qs = suggestion_list(user=people["city"]).filter(number__isnull=False)
    titles = list((qs.order_by(*order, "pk") if order else qs.order_by("-year", "number", "-id")).values_list("title"))
    assert [r[3] for r in rows] == [t for (t,) in titles]  # the order asked for, ties broken by id
    assert sum(1 for r in rows if r[3].endswith("乙")) == 10  # the township's twins are there
    by_title = {s.title: s for s in Suggestion.objects.filter(number__isnull=False)}
    filled = 0
    for row in rows:
        got = tuple(row[c] or "" for c in (COSIGNERS, LEAD, CO, SATISFACTION))
        assert got == _expected(by_title[row[3]]), row[3]
        filled += bool(got[0])
    assert 0 < filled < len(rows)


def test_a_suggestion_registered_or_renumbered_between_the_queries_takes_nobody_elses_rows(base, people):
    """The four queries each read their own snapshot: write between the related streams and the suggestions'."""
    _copies(base, 40)
    qs = suggestion_list(user=people["city"]).filter(number__isnull=False).order_by("year", "session_id", "number")
    titles = list(qs.values_list("title", flat=True))
    joint = [t for t in titles if CoSigner.objects.filter(suggestion__title=t).exists()]
    gone, moved = Suggestion.objects.get(title=joint[3]), Suggestion.objects.get(title=joint[15])
    seen: list[str] = []

    def between(execute, sql, params, many, context):
        if '"title"' in sql and not seen:  # the suggestions' query, after the three related ones
            seen.append(sql)
            Suggestion.objects.filter(pk=gone.pk).update(number=None)
            Suggestion.objects.filter(pk=moved.pk).update(number=999)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(between):
        rows = list(register_rows(qs))
    assert seen
    # As the suggestions' query saw them, ties broken by id.
    assert [r[3] for r in rows] == list(
        qs.order_by("year", "session_id", "number", "pk").values_list("title", flat=True)
    )
    assert gone.title not in [r[3] for r in rows] and moved.title in [r[3] for r in rows]
    by_title = {s.title: s for s in Suggestion.objects.all()}
    for row in rows:
        got = tuple(row[c] or "" for c in (COSIGNERS, LEAD, CO, SATISFACTION))
        # The renumbered one's related rows were read at its old place and passed over; nobody else takes them.
        assert got == (("", "", "", "") if row[3] == moved.title else _expected(by_title[row[3]])), row[3]


def _measured(user) -> tuple[int, int, int]:
    """(queries, rows, peak bytes allocated while building the file)."""
    qs = suggestion_list(user=user).filter(number__isnull=False).order_by("year", "session_id", "number")
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as ctx:
            file = register_file(qs=qs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return len(ctx.captured_queries), file.rows, peak


def test_the_register_costs_four_queries_and_the_same_memory_for_1000_suggestions_and_20000(base, people):
    _copies(base, 1000, every=3)
    small = _measured(people["city"])
    _copies(base, 19000, start=1000, every=3)
    large = _measured(people["city"])
    assert (small[1], large[1]) == (1 + 1000 + 167, 1 + 20000 + 3334)  # with the township's twins
    assert small[0] == large[0] == 4  # the suggestions, their units, co-signers and evaluations
    # 20 times the rows, not 20 times the memory: one chunk of each stream at a time, the file compressed as it goes.
    assert large[2] < small[2] + 8 * 1024 * 1024, (small[2], large[2])
