"""Exports: a permission per kind, files from the user's scope, per-user expiring links, one audit row per file.

Every export view is exercised the same way: the 导出 link answers 302 with a signed link, the
signed link answers 200 with a real file (read back with openpyxl / python-docx) holding only
the user's rows; a role without the permission gets 403 (audited, no file); another user's link
gets 403, an expired one 410, a tampered one 403; each file served writes exactly one audit row.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document
from openpyxl import load_workbook

from deputyhome.accounts import export_rights
from deputyhome.audit.models import AuditEvent
from deputyhome.core import exports

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2026
NOW = datetime.datetime(YEAR, 11, 20, 10, 0, tzinfo=TZ)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(city, personas):
    """This year's session, and one registered suggestion per township, each led by its own unit."""
    from deputyhome.organisation.models import Session
    from deputyhome.suggestions.models import Assignment, Suggestion

    session = Session.objects.create(
        congress=city.city_congress,
        number=6,
        name="恩施市第十一届人民代表大会第六次会议",
        start_date=datetime.date(YEAR, 1, 10),
        end_date=datetime.date(YEAR, 1, 13),
    )
    for number, (author, unit) in enumerate(
        ((city.deputies_a[0], city.unit_a), (city.deputies_b[0], city.unit_b)), start=1
    ):
        suggestion = Suggestion.objects.create(
            title=f"关于{author.region.name}道路维修的建议",
            author=author,
            created_by=personas["city"],
            region=author.region,
            session=session,
            year=YEAR,
            state="assigned",
            submitted_at=datetime.datetime(YEAR, 1, 11, 9, 0, tzinfo=TZ),
            number=number,
            assigned_on=datetime.date(YEAR, 2, 1),
        )
        Assignment.objects.create(
            suggestion=suggestion, unit=unit, role="lead", status="active", assigned_on=datetime.date(YEAR, 2, 1)
        )
    return city


# Reading the files back ------------------------------------------------------------------------------------


def sheet_rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return list((book[sheet] if sheet else book.active).iter_rows(values_only=True))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def first_column(content: bytes) -> set:
    return {row[0] for row in sheet_rows(content)[2:]}


def check_deputies(content, city):
    assert first_column(content) == {d.name for d in city.deputies_a}


def check_groups(content, city):
    assert first_column(content) == {city.group_a.name}


def check_stations(content, city):
    assert first_column(content) == {city.home_a.name, city.station_a.name}


def check_register(content, city):
    titles = {row[3] for row in sheet_rows(content)[2:]}
    assert titles == {"关于六角亭街道道路维修的建议"}


def check_scores(content, city):
    assert [row[1] for row in sheet_rows(content, "排名")[2:]] == [city.unit_a.name]


def check_duty_record(content, city):
    summary = {row[0]: row[1] for row in sheet_rows(content, "概况")[2:]}
    assert summary["姓名"] == city.deputies_a[3].name


def check_points(content, city):
    names = {row[1] for row in sheet_rows(content)[2:]}
    assert names == {d.name for d in city.deputies_a}


def check_annual(content, city):
    text = docx_text(content)
    assert "六角亭街道" in text.splitlines()[0]
    assert "白杨坪镇" not in text


@dataclass(frozen=True)
class Case:
    kind: exports.ExportKind
    url: Callable[[object], str]
    allowed: str  # a persona with the permission (township A, its unit or its deputy)
    refused: str  # a persona without it
    other: str  # another persona with the permission, for the copied link
    rows: int  # rows of the allowed persona's file, as the audit row records them
    check: Callable[[bytes, object], None]
    docx: bool = False


CASES = [
    Case(
        export_rights.DEPUTIES,
        lambda c: reverse("roster:export_deputies"),
        "township",
        "deputy",
        "city",
        4,
        check_deputies,
    ),
    Case(export_rights.GROUPS, lambda c: reverse("roster:export_groups"), "township", "unit", "city", 1, check_groups),
    Case(
        export_rights.STATIONS,
        lambda c: reverse("roster:export_stations"),
        "township",
        "supervisor",
        "city",
        2,
        check_stations,
    ),
    Case(
        export_rights.SUGGESTION_REGISTER,
        lambda c: reverse("suggestions:register_export"),
        "township",
        "deputy",
        "city",
        1,
        check_register,
    ),
    Case(
        export_rights.SCORES,
        lambda c: f"{reverse('supervision:scores_export')}?year={YEAR}",
        "unit",
        "township",
        "city",
        1,
        check_scores,
    ),
    Case(
        export_rights.DUTY_RECORD,
        lambda c: f"{reverse('records:deputy_record_export', args=[c.deputies_a[3].pk])}?year={YEAR}",
        "deputy",
        "unit",
        "township",
        26,  # the summary's lines
        check_duty_record,
    ),
    Case(
        export_rights.DUTY_POINTS,
        lambda c: f"{reverse('records:points_export')}?year={YEAR}",
        "township",
        "deputy",
        "city",
        4,
        check_points,
    ),
    Case(
        export_rights.ANNUAL_REPORT,
        lambda c: f"{reverse('reports:annual_report')}?year={YEAR}",
        "township",
        "unit",
        "city",
        1,
        check_annual,
        docx=True,
    ),
]
IDS = [case.kind.name for case in CASES]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signed_link(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 302, response.content.decode()[:300]
    assert "no-store" in response["Cache-Control"]
    return response["Location"]


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)[exports.LINK_PARAM][0]


def with_token(link: str, token: str) -> str:
    parts = urlsplit(link)
    query = [(k, v) for k, values in parse_qs(parts.query, keep_blank_values=True).items() for v in values]
    query = [(k, token if k == exports.LINK_PARAM else v) for k, v in query]
    return f"{parts.path}?{urlencode(query)}"


def served(kind: exports.ExportKind):
    return AuditEvent.objects.filter(action=kind.action)


def refusals(kind: exports.ExportKind):
    return AuditEvent.objects.filter(action=kind.refused_action)


# The two steps ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_allowed_role_gets_a_signed_link_then_the_file_of_their_scope(data, personas, case):
    user = personas[case.allowed]
    client = client_for(user)
    url = case.url(data)
    link = signed_link(client, url)
    # The same path and query, plus the token.
    parts, original = urlsplit(link), urlsplit(url)
    assert parts.path == original.path
    query = parse_qs(parts.query)
    assert set(query) == set(parse_qs(original.query)) | {exports.LINK_PARAM}
    assert not served(case.kind).exists()  # the redirect alone serves nothing

    response = client.get(link)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    expected_type = exports.DOCX_TYPE if case.docx else exports.XLSX_TYPE
    assert response["Content-Type"] == expected_type
    case.check(response.content, data)

    event = served(case.kind).get()
    assert event.actor == user and event.success
    assert event.object_type == "export" and event.object_repr
    assert event.changes["rows"] == case.rows
    assert isinstance(event.changes["filters"], dict)
    assert exports.LINK_PARAM not in event.changes["filters"]
    assert not refusals(case.kind).exists()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_role_without_the_permission_gets_403_audited_and_no_file(data, personas, case):
    user = personas[case.refused]
    assert not exports.may_export(user, case.kind)
    response = client_for(user).get(case.url(data))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "无权导出" in response.content.decode()
    assert not served(case.kind).exists()
    refusal = refusals(case.kind).get()
    assert refusal.actor == user and not refusal.success
    assert refusal.changes["reason"] == "no_permission"
    assert not AuditEvent.objects.filter(action="access.denied").exists()  # one row per refusal, not two


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_link_copied_to_another_user_is_refused(data, personas, case):
    link = signed_link(client_for(personas[case.allowed]), case.url(data))
    other = personas[case.other]
    assert exports.may_export(other, case.kind)  # even a user who may export this kind themself
    response = client_for(other).get(link)
    assert response.status_code == 403
    assert "属于其他用户" in response.content.decode()
    assert not served(case.kind).exists()
    refusal = refusals(case.kind).get()
    assert refusal.actor == other and refusal.changes["reason"] == "other_user"
    # A user without the permission is refused for that reason first.
    response = client_for(personas[case.refused]).get(link)
    assert response.status_code == 403
    assert not served(case.kind).exists()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_expired_link_answers_410(data, personas, case):
    client = client_for(personas[case.allowed])
    link = signed_link(client, case.url(data))
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        response = client.get(link)
    assert response.status_code == 410
    html = response.content.decode()
    assert "下载链接已过期，请重新导出" in html
    again = case.url(data).replace("&", "&amp;")
    assert f'href="{again}">重新导出</a>' in html  # back to the first step, for a fresh link
    assert "no-store" in response["Cache-Control"]
    assert not served(case.kind).exists()
    assert refusals(case.kind).get().changes["reason"] == "expired"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_tampered_link_is_refused(data, personas, case):
    client = client_for(personas[case.allowed])
    link = signed_link(client, case.url(data))
    token = token_of(link)
    # A changed character of the signature.
    assert client.get(with_token(link, token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 403
    # A changed payload (another user's id) under the old signature.
    payload, rest = token.split(":", 1)
    claims = json.loads(signing.b64_decode(payload.encode()))
    claims["u"] = personas[case.other].pk
    forged = signing.b64_encode(json.dumps(claims, separators=(",", ":")).encode()).decode()
    assert forged != payload
    assert client_for(personas[case.other]).get(with_token(link, f"{forged}:{rest}")).status_code == 403
    assert client.get(with_token(link, "")).status_code == 403
    # The token is bound to the query: a valid token with other filters is refused.
    assert client.get(f"{link}&extra=1").status_code == 403
    # A token for the same user, path and query, signed for another kind of export (another salt).
    foreign = next(k for k in export_rights.KINDS.values() if k != case.kind)
    parts = urlsplit(case.url(data))
    forged = exports.signed_url(
        kind=foreign, user=personas[case.allowed], path=parts.path, query=QueryDict(parts.query)
    )
    assert client.get(with_token(link, token_of(forged))).status_code == 403
    assert not served(case.kind).exists()
    assert {e.changes["reason"] for e in refusals(case.kind)} == {"bad_token"}


def test_the_link_works_within_five_minutes_and_is_audited_once_per_file(data, personas):
    case = CASES[0]
    client = client_for(personas[case.allowed])
    link = signed_link(client, case.url(data))
    with time_machine.travel(NOW + datetime.timedelta(minutes=4, seconds=59), tick=False):
        assert client.get(link).status_code == 200
    assert served(case.kind).count() == 1
    # Each file served is one row: the same link fetched again is a second file, a second row.
    assert client.get(link).status_code == 200
    assert served(case.kind).count() == 2


def test_the_query_order_does_not_matter_but_its_values_do(data, personas):
    client = client_for(personas["city"])
    base = reverse("roster:export_deputies")
    link = signed_link(client, f"{base}?group={data.group_b.pk}&name=")
    token = token_of(link)
    reordered = f"{base}?{urlencode({exports.LINK_PARAM: token, 'name': '', 'group': data.group_b.pk})}"
    response = client.get(reordered)
    assert response.status_code == 200
    assert first_column(response.content) == {d.name for d in data.deputies_b}
    assert served(export_rights.DEPUTIES).get().changes["filters"] == {"group": str(data.group_b.pk)}
    widened = f"{base}?{urlencode({exports.LINK_PARAM: token, 'name': '', 'group': data.group_a.pk})}"
    assert client.get(widened).status_code == 403


def test_a_view_error_on_the_signed_link_is_not_audited_as_a_file(data, personas):
    client = client_for(personas["city"])
    link = signed_link(client, f"{reverse('reports:annual_report')}?year=20x6")
    response = client.get(link)
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    assert not served(export_rights.ANNUAL_REPORT).exists()


def test_an_object_outside_the_scope_is_404_on_the_signed_link(data, personas):
    client = client_for(personas["deputy"])  # a deputy exports only their own record
    url = f"{reverse('records:deputy_record_export', args=[data.deputies_a[0].pk])}?year={YEAR}"
    assert client.get(url, follow=True).status_code == 404
    assert not served(export_rights.DUTY_RECORD).exists()


def test_anonymous_users_go_to_the_login_page(data):
    client = Client()
    for case in CASES:
        response = client.get(case.url(data))
        assert response.status_code == 302 and "login" in response["Location"]
    assert not AuditEvent.objects.filter(action__startswith="export").exists()


def test_only_post_free_gets(data, personas):
    response = client_for(personas["city"]).post(reverse("roster:export_deputies"))
    assert response.status_code == 405


# The permission table and where it shows ------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


NOT_EXPORTS = {"roster/template.xlsx"}  # the empty import template: no data


def test_every_download_route_is_an_export_view_and_every_kind_is_routed():
    routed: dict[str, str] = {}
    for route, callback in _patterns(get_resolver()):
        looks_like_export = "export" in route or route.endswith((".xlsx", ".docx", ".csv"))
        kind = getattr(callback, "export_kind", None)
        if kind is not None:
            routed[kind.name] = route
        elif looks_like_export:
            assert any(route.endswith(name) for name in NOT_EXPORTS), f"{route} is not wrapped in export_view"
    assert set(routed) == set(export_rights.KINDS)


def test_every_kind_has_a_chinese_label_and_its_own_salt():
    assert len({k.salt for k in export_rights.KINDS.values()}) == len(export_rights.KINDS)
    for kind in export_rights.KINDS.values():
        assert kind.permission == f"exports.{kind.name}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in kind.label)
        assert kind.roles


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("city", True), ("township", True), ("group", True), ("leader", False), ("supervisor", False)],
)
def test_register_pages_show_the_export_link_only_with_the_permission(data, personas, persona, shown):
    html = client_for(personas[persona]).get(reverse("deputies:list")).content.decode()
    assert (reverse("roster:export_deputies") in html) is shown


def test_deputies_do_not_see_the_register_export_link(data, personas):
    html = client_for(personas["deputy"]).get(reverse("suggestions:list")).content.decode()
    assert reverse("suggestions:register_export") not in html
    html = client_for(personas["township"]).get(reverse("suggestions:list")).content.decode()
    assert reverse("suggestions:register_export") in html


# Personal data is not kept in caches ------------------------------------------------------------------------


def test_deputy_detail_and_edit_form_are_not_cached(data, personas):
    client = client_for(personas["city"])
    deputy = data.deputies_a[0]
    for response in (
        client.get(reverse("deputies:detail", args=[deputy.pk])),
        client.post(reverse("deputies:detail", args=[deputy.pk]), {"reveal": "1"}),
        client.get(reverse("deputies:update", args=[deputy.pk])),
    ):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
