"""Personal data (issue 6, item 4): a crawler finds no full ID number or phone where the role has no right to it.

For each role, and anonymously, the crawler visits every page without parameters (list pages
and every page of their pagination, the exports, the JSON API with this year), the pages of
every object of the data set the role can reach (details, edit forms, files, records and their
exports), the public pages, the full roster export (a POST with a reason and the confirmation),
and the deputy page's "show in full" (a POST with `reveal`) for every deputy. Spreadsheets are read back cell by cell (openpyxl), Word files paragraph by
paragraph and table by table (python-docx). No deputy's full ID number or phone, and no full
phone of a citizen who left an opinion, may appear anywhere, except in `PERMITTED` below:
each entry says who may see it there and why. Masked forms (4228**********123X, 138****5678)
must appear, so the crawler really looked; no response may be a 5xx.

The crawl (marker `crawl`) runs on SQLite in `make test`, as the browser sweep runs on PostgreSQL: each database
has one walk of every page as every role, and what the crawl looks for (which values a page shows in full) is
decided in Python, the same on either database (decision 107).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from . import security_fixtures as sf
from .test_idor import ANONYMOUS, ROLES, SPECS, build_url, enumerate_routes

# Routes the crawler does not request: they end the session it crawls with.
SKIP = {"accounts:logout", "admin:logout"}
MAX_PAGES = 30
MASKED_ID = re.compile(r"\d{4}\*{10}[\dX]{4}")
MASKED_PHONE = re.compile(r"1\d{2}\*{4}\d{4}")


# What is secret ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    value: str
    what: str  # "id_number" | "phone" | "citizen_phone"
    owner_kind: str  # "deputy" | "opinion"
    owner_pk: int

    def __str__(self) -> str:
        return f"{self.what} of {self.owner_kind} #{self.owner_pk}"


def secrets_of_data() -> list[Secret]:
    from deputyhome.deputies.models import Deputy
    from deputyhome.opinions.models import Opinion

    found = []
    for d in Deputy.objects.all():
        found.append(Secret(d.id_number, "id_number", "deputy", d.pk))
        if d.phone:
            found.append(Secret(d.phone, "phone", "deputy", d.pk))
    for o in Opinion.objects.exclude(phone=""):
        found.append(Secret(o.phone, "citizen_phone", "opinion", o.pk))
    return found


# Where a full value is permitted, for whom, and why ------------------------------------------------------


def _deputy_in_scope(user, pk: int) -> bool:
    from deputyhome.accounts.scopes import deputies_q
    from deputyhome.deputies.models import Deputy

    return Deputy.objects.filter(deputies_q(user), pk=pk).exists()


def _may_reveal(user, secret: Secret, values: dict[str, Any]) -> bool:
    from deputyhome.deputies.views import may_reveal

    return (
        secret.owner_kind == "deputy"
        and values.get("pk") == secret.owner_pk
        and may_reveal(user, _deputy(secret.owner_pk))
        and _deputy_in_scope(user, secret.owner_pk)
    )


def _deputy(pk: int):
    from deputyhome.deputies.models import Deputy

    return Deputy.objects.get(pk=pk)


def _ledger(user, secret: Secret, values: dict[str, Any]) -> bool:
    return secret.owner_kind == "deputy" and user.sees_personal_data and _deputy_in_scope(user, secret.owner_pk)


def _edit_form(user, secret: Secret, values: dict[str, Any]) -> bool:
    return (
        secret.owner_kind == "deputy"
        and values.get("pk") == secret.owner_pk
        and user.can_edit
        and _deputy_in_scope(user, secret.owner_pk)
    )


@dataclass(frozen=True)
class Permitted:
    route: str
    method: str
    rule: Callable[[Any, Secret, dict[str, Any]], bool]
    reason: str


PERMITTED = [
    Permitted(
        "deputies:detail",
        "post",
        _may_reveal,
        "the deputy page's 'show in full' (POST with reveal): city and township officers for deputies in their "
        "scope, and a deputy for themself; each reveal is audited (personal_data.reveal)",
    ),
    Permitted(
        "roster:export_deputies_full",
        "post",
        _ledger,
        "the deputy ledger in full (the ordinary one is masked for everyone) for the roles that may reveal the "
        "values (city and township officers, in their scope), after a stated reason and a ticked confirmation; "
        "audited with the reason and the row count (export.deputies_full)",
    ),
    Permitted(
        "deputies:update",
        "get",
        _edit_form,
        "the edit form of a deputy, for the officers who may correct it (city and township officers, in their "
        "scope): the fields must hold the values they edit; opening it is audited as a reveal (编辑表单)",
    ),
]


def _sees_contact(user, secret: Secret, values: dict[str, Any]) -> bool:
    from deputyhome.opinions.models import Opinion
    from deputyhome.opinions.selectors import sees_contact

    return (
        secret.owner_kind == "opinion"
        and values.get("pk") == secret.owner_pk
        and sees_contact(user, Opinion.objects.get(pk=secret.owner_pk))
    )


PERMITTED.append(
    Permitted(
        "opinions:detail",
        "post",
        _sees_contact,
        "an opinion's 'show the full phone' (POST with reveal): city and township officers in scope and the deputy "
        "the opinion was addressed to; each reveal is audited (personal_data.reveal)",
    )
)

# Leaks found and reported, not yet fixed. Each has a strict xfail test that starts failing (XPASS)
# once the leak is fixed: then remove the entry and the marker. None open.
REPORTED: list[Permitted] = []


def permitted(user, route: str, method: str, secret: Secret, values: dict[str, Any]) -> bool:
    if user is None:
        return False
    return any(
        p.route == route and p.method == method and p.rule(user, secret, values) for p in (*PERMITTED, *REPORTED)
    )


# Reading responses --------------------------------------------------------------------------------------


def body_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        # Reading to the end closes the file (the test client wraps the iterator); closing the
        # response by hand would also close the test's database connection.
        return b"".join(response.streaming_content)
    return response.content


def text_of(response) -> str:
    """Everything a person could read in the response: HTML/JSON/text, or the cells of a workbook, or a document."""
    content_type = response.get("Content-Type", "")
    raw = body_bytes(response)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        lines = []
        for sheet in book.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                lines.append("\t".join("" if v is None else str(v) for v in row))
        book.close()
        return "\n".join(lines)
    if "wordprocessingml" in content_type:
        import docx

        document = docx.Document(io.BytesIO(raw))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        for section in document.sections:
            parts.extend(p.text for p in section.header.paragraphs)
            parts.extend(p.text for p in section.footer.paragraphs)
        return "\n".join(parts)
    if content_type.startswith(("text/", "application/json", "image/svg")):
        return raw.decode("utf-8", errors="replace")
    return ""  # photos and uploaded attachments: the users' own files


# The crawl ----------------------------------------------------------------------------------------------


@dataclass
class Crawl:
    data: sf.SecurityData
    role: str
    secrets: list[Secret]
    leaks: list[str]
    errors: list[str]
    shown: list[tuple[str, Secret]]  # full values seen where permitted (route, secret)
    masked_ids: int = 0
    masked_phones: int = 0
    pages: int = 0

    @property
    def user(self):
        return None if self.role == ANONYMOUS else self.data.users[self.role]

    def visit(self, client: Client, method: str, url: str, route: str, values=None, body=None, query=None) -> Any:
        if method == "get":
            response = client.get(url, query or {}, follow=True)
        else:
            response = client.post(url, body or {}, follow=True)
        self.pages += 1
        if response.status_code >= 500:
            self.errors.append(f"{method.upper()} {url} [{route}] as {self.role}: {response.status_code}")
            return response
        text = text_of(response) if response.status_code == 200 else ""
        self.masked_ids += len(MASKED_ID.findall(text))
        self.masked_phones += len(MASKED_PHONE.findall(text))
        final_route = route if not response.redirect_chain else _route_of(response.request["PATH_INFO"], route)
        for secret in self.secrets:
            if secret.value in text:
                if permitted(self.user, final_route, method, secret, values or {}):
                    self.shown.append((final_route, secret))
                else:
                    self.leaks.append(f"{method.upper()} {url} [{final_route}] as {self.role}: full {secret}")
        response.text_seen = text
        return response


def _route_of(path: str, default: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return default
    return match.view_name


def _pages(text: str) -> list[int]:
    return sorted({int(n) for n in re.findall(r"[?&;]page=(\d+)", text)})


def _all_of(kind: str) -> list[Any] | None:
    """Kinds crawled for every row, not just sides A and B."""
    from deputyhome.deputies.models import Deputy
    from deputyhome.opinions.models import Opinion

    if kind == "deputy":
        return list(Deputy.objects.order_by("pk"))
    if kind == "opinion":
        return list(Opinion.objects.order_by("pk"))
    return None


def _objects_for(data: sf.SecurityData, variant: dict[str, str]) -> list[dict[str, Any]]:
    """Every filling of a route's parameters the data set offers."""
    kinds = [k for k in variant.values() if not k.startswith("=")]
    constants = {p: k[1:] for p, k in variant.items() if k.startswith("=")}
    fillings = []
    if len(kinds) == 1 and (rows := _all_of(kinds[0])) is not None:
        param = next(p for p, k in variant.items() if k == kinds[0])
        return [{param: row.pk, **constants} for row in rows]
    for side in ("a", "b", "other"):
        values = dict(constants)
        for param, kind in variant.items():
            if kind.startswith("="):
                continue
            if kind not in data.objs[side]:
                break
            values[param] = data.objs[side][kind].pk
        else:
            if values not in fillings:
                fillings.append(values)
    return fillings


def crawl(data: sf.SecurityData, role: str) -> Crawl:
    from deputyhome.deputies.models import Deputy
    from deputyhome.suggestions.models import Suggestion

    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.force_login(data.users[role])
    c = Crawl(data, role, secrets_of_data(), [], [], [])
    routes = enumerate_routes()

    # 1. Every page without parameters: lists (every page of them), exports, the API with this year.
    for route in routes:
        if route.params or route.name in SKIP:
            continue
        url = build_url(route.route, {})
        query = {"year": data.year} if route.route.startswith("api/v1/") else {}
        response = c.visit(client, "get", url, route.name, query=query)
        for page in _pages(getattr(response, "text_seen", ""))[:MAX_PAGES]:
            if page > 1:
                c.visit(client, "get", url, route.name, query={**query, "page": page})

    # 2. Every object's pages: details, forms, files, records and their exports (GET routes of SPECS).
    for route in routes:
        spec = SPECS.get(route.name)
        if spec is None or spec.positive[2] != "get":
            continue
        for variant in spec.variants:
            for values in _objects_for(data, {**variant}):
                c.visit(client, "get", build_url(route.route, values), route.name, values)
        if route.name == "suggestions:edit":
            values = {"pk": data.objs["b"]["draft_suggestion"].pk}
            c.visit(client, "get", build_url(route.route, values), route.name, values)

    # 3. The public pages, for everyone.
    public = {
        "opinions:public_station": [{"pk": s.pk} for s in (data.city.station_a, data.city.station_b)],
        "opinions:public_deputy": [{"pk": d.pk} for d in Deputy.objects.all()],
        "opinions:public_story": [{"pk": data.objs[side]["story"].pk} for side in ("a", "b")],
        "public_suggestions:detail": [{"token": s.public_token} for s in Suggestion.objects.all()],
    }
    by_name = {r.name: r for r in routes}
    for name, fillings in public.items():
        for values in fillings:
            c.visit(client, "get", build_url(by_name[name].route, values), name, values)

    # 4. The roster in full: a reason and the confirmation (403 for the roles without the right).
    c.visit(
        client,
        "post",
        build_url(by_name["roster:export_deputies_full"].route, {}),
        "roster:export_deputies_full",
        {},
        {"reason": "核对代表信息", "confirm": "on"},
    )

    # 5. "Show in full" on every deputy's page.
    for deputy in Deputy.objects.all():
        values = {"pk": deputy.pk}
        c.visit(
            client,
            "post",
            build_url(by_name["deputies:detail"].route, values),
            "deputies:detail",
            values,
            {"reveal": "1"},
        )
    return c


# The data set, once per module --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker, tmp_path_factory):
    with sf.module_dataset(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


@pytest.fixture(scope="module")
def crawled() -> dict[str, Crawl]:
    """The module's crawls by role. Every test rolls back what its requests wrote, so a role's crawl of the module's
    data set finds the same in any test; a test that needs a crawl another test of the module made reads it here."""
    return {}


def crawl_once(crawled: dict[str, Crawl], data: sf.SecurityData, role: str) -> Crawl:
    if role not in crawled:
        crawled[role] = crawl(data, role)
    return crawled[role]


# Tests --------------------------------------------------------------------------------------------------

# Roles that see deputies' pages (and so the masked values on them).
SEES_DEPUTIES = {"city", "township", "group", "liaison", "deputy", "supervisor", "leader"}


@pytest.mark.crawl
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_full_id_number_or_phone_where_the_role_has_no_right(data, crawled, role):
    c = crawl_once(crawled, data, role)
    assert c.pages > 150
    assert c.errors == [], "server errors:\n" + "\n".join(c.errors)
    assert c.leaks == [], "personal data in full:\n" + "\n".join(c.leaks)
    if role in SEES_DEPUTIES:
        assert c.masked_ids > 0 and c.masked_phones > 0, (c.masked_ids, c.masked_phones)


@pytest.mark.crawl
@pytest.mark.django_db
def test_the_permitted_places_really_show_the_full_values(data, crawled):
    """The exceptions are real (so the crawler can see a full value): an officer's reveal, ledger and edit form."""
    c = crawl_once(crawled, data, "township")
    seen = {route for route, _secret in c.shown}
    assert {"deputies:detail", "roster:export_deputies_full", "deputies:update"} <= seen
    own = data.users["deputy"].deputy
    mine = crawl_once(crawled, data, "deputy")
    assert {(r, s.owner_pk) for r, s in mine.shown} == {("deputies:detail", own.pk)}
    assert mine.leaks == []


def test_every_permitted_place_is_a_real_route():
    names = {r.name for r in enumerate_routes()}
    for p in (*PERMITTED, *REPORTED):
        assert p.route in names, p.route
        assert p.reason


@pytest.mark.django_db
def test_audit_trail_holds_no_full_personal_data(data):
    """The auditor reads the trail: deputies written through the services leave only masked values in it."""
    import json

    from deputyhome.audit.models import AuditEvent

    rows = list(AuditEvent.objects.values_list("action", "object_repr", "changes", "detail"))
    assert any(action == "deputy.create" for action, *_ in rows)
    assert any(action == "deputy.update" and "phone" in changes for action, _r, changes, _d in rows)
    trail = json.dumps(rows, ensure_ascii=False)
    found = [str(s) for s in secrets_of_data() if s.value in trail]
    assert found == []
    assert MASKED_PHONE.search(trail) and MASKED_ID.search(trail)


@pytest.mark.django_db
def test_opinion_page_masks_the_citizens_phone_until_revealed(data):
    from deputyhome.audit.models import AuditEvent

    opinion = data.objs["a"]["opinion"]
    client = Client()
    client.force_login(data.users["township"])
    before = AuditEvent.objects.filter(action="personal_data.reveal").count()
    page = client.get(f"/opinions/{opinion.pk}/").content.decode()
    assert opinion.phone not in page
    assert f"{opinion.phone[:3]}****{opinion.phone[-4:]}" in page
    assert AuditEvent.objects.filter(action="personal_data.reveal").count() == before
    revealed = client.post(f"/opinions/{opinion.pk}/", {"reveal": "1"}).content.decode()
    assert opinion.phone in revealed
    assert AuditEvent.objects.filter(action="personal_data.reveal").count() == before + 1
