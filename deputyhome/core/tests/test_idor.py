"""No object leaks (issue 6, item 5): every object route, every role, an object outside the role's scope.

The URLconf is enumerated (recursively, with namespaces and converters). Every route with a
parameter must appear in `SPECS` (how to pick an object for it, and which roles may open
township B's object) or in `EXEMPT` (with the reason): a new route without an entry fails
`test_every_parameterised_route_is_mapped`.

For each role, each mapped route is requested with side B's object (township B's for the roles
anchored in township A, unit B's for unit A's clerk, everything for the three administrators)
and, for the deputy persona, with side A objects of another deputy: GET, and POST with an
empty body. A role that may not open the object must get 403 or 404 (405 for a method the
route refuses; a redirect to the login page only when anonymous): never 200, never a 5xx.
`test_allowed_role_reaches_every_route` opens the same routes as a role that may, so none of
this passes vacuously. Public identifiers (reply tokens, tracking codes) are checked for length
and randomness, and a guessed or altered one finds nothing.
"""

from __future__ import annotations

import datetime
import os
import re
import string
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from deputyhome.audit.models import AuditEvent

from . import security_fixtures as sf

# Who may open side B's object -----------------------------------------------------------------------------

CITY = frozenset({"city"})
CITY_READERS = frozenset({"city", "supervisor", "leader"})  # scope: the whole city
BUSINESS = CITY_READERS | {"township", "group", "liaison", "deputy"}  # all but unit clerks and admins
NOT_ADMINS = BUSINESS | {"unit"}
NOBODY: frozenset[str] = frozenset()
ANONYMOUS = "anonymous"
ROLES = (*sf.ROLES, ANONYMOUS)


@dataclass(frozen=True)
class Spec:
    """How to fill a route's parameters, and who may open side B's object.

    `variants`: each maps a URL parameter to a kind of the data set (`objs[side][kind].pk`) or,
    prefixed with "=", to a constant. `openers`: roles that may legitimately open side B's
    object (global objects such as campaigns are open to every business role). `positive`:
    (role, side, method, acceptable statuses) of a request proving the route works, with
    `positive_params` overriding the variant's kinds (e.g. a draft for the edit page).
    """

    variants: tuple[dict[str, str], ...]
    openers: frozenset[str] = CITY_READERS
    positive: tuple[str, str, str, frozenset[int]] = ("city", "b", "get", frozenset({200}))
    positive_params: dict[str, str] = field(default_factory=dict)


def spec(*variants: dict[str, str], openers=CITY_READERS, role="city", side="b", method="get", ok=(200,), **over):
    return Spec(tuple(variants), frozenset(openers), (role, side, method, frozenset(ok)), dict(over))


def pk(of: str, /, **more: str) -> dict[str, str]:
    """{"pk": <kind>} plus other parameters ("=value" for a constant)."""
    return {"pk": of, **more}


POSTED = (200, 302, 400)  # a POST that reached the object: done, refused by the workflow, or a bad form

SPECS: dict[str, Spec] = {
    # Accounts: users are the user administrators' objects (三员分立).
    "accounts:user_detail": spec(pk("user"), openers={"sysadmin", "secadmin"}, role="sysadmin"),
    "accounts:user_update": spec(pk("user"), openers={"sysadmin"}, role="sysadmin"),
    "accounts:user_role": spec(pk("user"), openers={"secadmin"}, role="secadmin"),
    # Organisation.
    "organisation:region_detail": spec(pk("region")),
    "organisation:region_update": spec(pk("region"), openers=CITY),
    "organisation:station_detail": spec(pk("station"), pk("home")),
    "organisation:station_update": spec(pk("station"), openers=CITY),
    "organisation:station_delete": spec(pk("station"), openers=CITY),
    "organisation:group_detail": spec(pk("group")),
    "organisation:group_update": spec(pk("group"), openers=CITY),
    "organisation:group_delete": spec(pk("group"), openers=CITY),
    # Handling units are public names to everyone doing deputy work; a unit clerk sees their own only.
    "organisation:unit_detail": spec(pk("unit"), openers=BUSINESS),
    "organisation:unit_update": spec(pk("unit"), openers=CITY),
    # Congresses and their sessions are public facts for every business role.
    "organisation:congress_detail": spec(pk("congress"), openers=NOT_ADMINS),
    "organisation:congress_update": spec(pk("congress"), openers=CITY),
    "organisation:session_update": spec(pk("org_session"), openers=CITY),
    # Deputies.
    "deputies:detail": spec(pk("deputy")),
    "deputies:update": spec(pk("deputy"), openers=CITY),
    "deputies:delete": spec(pk("deputy"), openers=CITY),
    # POST only: the officer asks the administrators for the deputy's login (done, or refused with a message).
    "deputies:account_request": spec(pk("deputy"), openers=CITY, method="post", ok=(302,)),
    "deputies:mandate_create": spec({"deputy_pk": "deputy"}, openers=CITY),
    "deputies:mandate_update": spec(pk("mandate"), openers=CITY),
    "deputies:membership_create": spec({"deputy_pk": "deputy"}, openers=CITY),
    "deputies:membership_update": spec(pk("membership"), openers=CITY),
    # 换届 of a congress (congresses are every business role's to read; the committee's staff keep them).
    "deputies:term_change": spec(pk("congress"), openers=CITY),
    "deputies:term_undo": spec(pk("congress"), openers=CITY),  # 400 with the reason: no term change to undo
    # Suggestions.
    "suggestions:detail": spec(pk("suggestion")),
    # Only drafts can be edited: the allowed role opens the draft it entered.
    "suggestions:edit": spec(pk("suggestion"), openers=CITY, pk="draft_suggestion"),
    "suggestions:act": spec(
        pk("suggestion", action="=supervise"),
        pk("suggestion", action="=mark_key"),
        pk("suggestion", action="=assign"),
        pk("suggestion", action="=evaluate"),
        method="post",
        ok=POSTED,
    ),
    "suggestions:attachment": spec(pk("attachment"), pk("reply_attachment")),
    "suggestions:category_update": spec(pk("category"), openers=CITY),
    "suggestions:result_update": spec(pk("result_class"), openers=CITY),
    "suggestions:policy_update": spec(pk("policy"), openers=CITY),
    # Similar open opinions of the same township: whoever may see the opinion.
    "opinions:similar": spec(pk("opinion")),
    # Routing and 并案 are the committee's desk work.
    "suggestions:routing": spec(pk("suggestion"), openers=CITY),
    "suggestions:route_assign": spec(pk("suggestion"), openers=CITY, method="post", ok=POSTED),
    "suggestions:route_register": spec(pk("suggestion"), openers=CITY, method="post", ok=POSTED),
    "suggestions:merge": spec(pk("suggestion"), openers=CITY, method="post", ok=POSTED),
    "suggestions:unmerge": spec(pk("suggestion"), openers=CITY, method="post", ok=POSTED),
    # A township congress's forward up to a city unit: township B's officer forwards and withdraws, city unit B's
    # clerk answers; none of the personas (the city reads it and acts on nothing).
    "suggestions:forward_up": spec(
        pk("township_suggestion"), openers=NOBODY, role="township_b", method="post", ok=POSTED
    ),
    "suggestions:forward_answer": spec(pk("forward"), openers=NOBODY, role="unit_b", method="post", ok=POSTED),
    "suggestions:forward_withdraw": spec(pk("forward"), openers=NOBODY, role="township_b", method="post", ok=POSTED),
    # Sessions and their delegations: the congress's; motions: their township's staff and their signers.
    "motions:session_detail": spec(pk("org_session")),
    "motions:delegation_create": spec({"session_pk": "city_session"}, openers=CITY),
    "motions:delegation_detail": spec(pk("delegation")),
    "motions:delegation_update": spec(pk("delegation"), openers=CITY),
    "motions:member_create": spec({"delegation_pk": "delegation"}, openers=CITY),
    "motions:member_update": spec(pk("delegation_member"), openers=CITY),
    # Attendance: the session's staff tick a delegation and decide on leave; a deputy asks for leave from a
    # session they see (B's deputy opens the city session's form, not B's township session).
    "motions:delegation_attendance": spec(pk("delegation"), openers=CITY),
    "motions:session_leave": spec(pk("org_session"), openers=NOBODY, role="deputy_b", pk="city_session"),
    "motions:session_leave_requests": spec(pk("city_session"), openers=CITY),
    # A township session's one attendance sheet: its own congress's staff only (白杨坪镇's officer for side B).
    "motions:session_attendance": spec(pk("org_session"), openers=NOBODY, role="township_b"),
    "motions:session_leave_decide": spec(
        pk("city_session", attendance_pk="leave_request"), openers=CITY, method="post", ok=POSTED
    ),
    "motions:motion_rules_update": spec(pk("motion_rules"), openers=CITY),
    "motions:detail": spec(pk("motion")),
    # Only drafts can be edited, by their lead: B's deputy opens the draft they lead.
    "motions:edit": spec(pk("motion"), openers=NOBODY, role="deputy_b", pk="draft_motion"),
    "motions:act": spec(
        pk("motion", action="=decide"),
        pk("motion", action="=confirm"),
        pk("motion", action="=check"),
        method="post",
        ok=POSTED,
    ),
    # Unit scores: the city's readers see every unit; a clerk their own unit only.
    "supervision:score_detail": spec({"unit_pk": "unit"}),
    # Notifications are their user's only.
    "notifications:read": spec(pk("notification"), openers=NOBODY, role="township_b", method="post", ok=(302,)),
    # Activities.
    "activities:activity_detail": spec(pk("activity")),
    "activities:activity_update": spec(pk("activity"), openers=CITY),
    "activities:activity_delete": spec(pk("activity"), openers=CITY),
    "activities:output_create": spec({"activity_pk": "activity"}, openers=CITY),
    "activities:output_update": spec(pk("output"), openers=CITY),
    "activities:output_delete": spec(pk("output"), openers=CITY),
    "activities:output_file": spec(pk("output")),
    "activities:activity_photo": spec(pk("activity_photo")),
    "activities:problem_detail": spec(pk("problem"), pk("forwarded_problem")),
    "activities:problem_update": spec(pk("problem"), openers=CITY),
    "activities:problem_delete": spec(pk("problem"), openers=CITY),
    "activities:problem_action": spec(
        pk("problem", action="=close"),
        pk("problem", action="=forward"),
        pk("problem", action="=to_suggestion"),
        openers=CITY,
    ),
    "activities:referral_detail": spec(pk("referral")),
    "activities:referral_reply": spec(pk("referral"), method="post", ok=(400,)),
    # Campaigns, rules and standards are the city's, one set for everyone doing deputy work.
    "activities:campaign_detail": spec(pk("campaign"), openers=BUSINESS),
    "activities:campaign_update": spec(pk("campaign"), openers=CITY),
    "activities:campaign_delete": spec(pk("campaign"), openers=CITY),
    "activities:theme_set": spec(pk("campaign"), openers={"city", "township"}),
    "activities:topic_set": spec(pk("campaign"), openers={"city", "township", "group", "liaison"}),
    "activities:theme_delete": spec(pk("theme"), openers=CITY),
    "activities:topic_delete": spec(pk("topic"), openers=CITY),
    "activities:standard_update": spec(pk("standard_item"), openers=CITY),
    "activities:assessment_detail": spec(pk("assessment")),
    "activities:assessment_update": spec(pk("assessment"), openers=CITY),
    "activities:assessment_delete": spec(pk("assessment"), openers=CITY),
    "activities:evidence_photo": spec(pk("evidence")),
    "activities:rule_detail": spec(pk("rule"), openers=BUSINESS),
    "activities:rule_update": spec(pk("rule"), openers=CITY),
    "activities:rule_version_create": spec({"rule_pk": "rule"}, openers=CITY),
    "activities:posting_create": spec({"rule_pk": "rule"}, openers={"city", "township"}),
    "activities:posting_delete": spec(pk("posting"), openers=CITY),
    # Voter contact.
    "opinions:detail": spec(pk("opinion")),
    "opinions:act": spec(
        *(pk("opinion", action=f"={a}") for a in ("reply", "forward", "merge", "to_problem", "to_suggestion")),
        openers=CITY,
        method="post",
        ok=POSTED,
    ),
    # A triage step's form, loaded when the step is opened on the opinion's page.
    "opinions:step_form": spec(
        *(pk("opinion", action=f"={a}") for a in ("reply", "forward", "merge", "to_problem", "to_suggestion")),
        openers=CITY,
    ),
    "opinions:photo": spec(pk("opinion")),
    "opinions:merge_candidates": spec(pk("opinion"), openers=CITY),
    "opinions:slot_update": spec(pk("slot"), openers=CITY),
    "opinions:slot_delete": spec(pk("slot"), openers=CITY),
    "opinions:reception_detail": spec(pk("reception")),
    "opinions:reception_update": spec(pk("reception"), openers=CITY),
    "opinions:reception_delete": spec(pk("reception"), openers=CITY),
    "opinions:pairing_detail": spec(pk("pairing")),
    "opinions:pairing_update": spec(pk("pairing"), openers=CITY),
    "opinions:story_detail": spec(pk("story")),
    "opinions:story_update": spec(pk("story"), openers=CITY),
    "opinions:story_publish": spec(pk("story"), openers=CITY, method="post", ok=(302,)),
    "opinions:qr_print": spec(pk("station", kind="=station"), pk("deputy", kind="=deputy")),
    "opinions:qr_image": spec(
        pk("station", kind="=station", fmt="=png"),
        pk("deputy", kind="=deputy", fmt="=svg"),
    ),
    # Training.
    "training:session_detail": spec(pk("training_session")),
    "training:session_update": spec(pk("training_session"), openers=CITY),
    "training:session_delete": spec(pk("training_session"), openers=CITY),
    "training:session_signin": spec(pk("training_session"), openers=CITY, method="post", ok=(302,)),
    "training:session_invite": spec(pk("training_session"), openers=CITY),
    "training:session_sheet": spec(pk("training_session"), openers=CITY),
    "training:session_attendance": spec(pk("training_session"), openers=CITY),
    "training:session_screen": spec(pk("training_session"), openers=CITY),
    "training:session_screen_qr": spec(pk("training_session"), openers=CITY),
    "training:attendance_remove": spec(
        pk("training_session", attendance_pk="training_attendance"), openers=CITY, method="post", ok=(302,)
    ),
    "training:plan_detail": spec(pk("training_plan")),
    "training:plan_update": spec(pk("training_plan"), openers=CITY),
    "training:plan_delete": spec(pk("training_plan"), openers=CITY),
    # Study materials are the city's; training staff (city and township officers) see them all.
    "training:material_detail": spec(pk("material"), openers=CITY_READERS | {"township"}),
    "training:material_update": spec(pk("material"), openers=CITY),
    "training:material_delete": spec(pk("material"), openers=CITY),
    "training:distribution_delete": spec(pk("distribution"), openers=CITY),
    # Duty records.
    "records:deputy_record": spec(pk("deputy")),
    "records:deputy_record_export": spec(pk("deputy")),
    "records:attendance": spec(pk("deputy"), openers=CITY),
    "records:report_detail": spec(pk("voter_report")),
    "records:report_update": spec(pk("voter_report"), openers=CITY),
}

# Parameterised routes that are not object routes of a logged-in user, each with its reason.
EXEMPT: dict[str, str] = {
    "public_suggestions:detail": "public reply page by an unguessable token: test_public_reply_tokens",
    "opinions:public_station": "a station's public page (its QR code), open to all by design; no personal data "
    "(test_personal_data_crawler crawls it anonymously)",
    "opinions:public_deputy": "a deputy's public page (their QR code), open to all by design; no personal data "
    "(test_personal_data_crawler crawls it anonymously)",
    "opinions:public_story": "published model-deputy stories are public: test_unpublished_story_is_not_public",
    "accounts:user_reset": "the security administrator's reset of administrator accounts only: "
    "accounts/tests/test_separation.py (every administrator x every action)",
    "calendar:update": "calendar overrides are city-wide settings of the system administrator: test_calendar_page.py",
    "calendar:delete": "calendar overrides are city-wide settings of the system administrator: test_calendar_page.py",
    "core:choice_search": "`kind` names a kind of choice (group, township ...), not an object; the matches come from "
    "the user's scoped choices: test_search_select.py (a township officer gets no other township's groups)",
}
# The Django admin is for is_staff accounts, which no business role holds: test_admin_is_closed_to_every_role.
EXEMPT_PREFIXES = {"admin:": "Django admin (is_staff only): test_admin_is_closed_to_every_role"}


# The URLconf ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "namespace:<route>" when unnamed
    route: str  # the full route, e.g. "suggestions/<int:pk>/act/<slug:action>/"
    params: tuple[str, ...]
    converters: dict[str, str]


def _params_of(pattern) -> dict[str, str]:
    """Parameter name → converter name ("int", "str", ...; "regex" for a named group of a regex route)."""
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex, "regex")
    return {name: type(conv).__name__.replace("Converter", "").lower() for name, conv in pattern.converters.items()}


def enumerate_routes(patterns=None, prefix: str = "", namespace: str = "", params=None) -> list[Route]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    params = params or {}
    routes: list[Route] = []
    for p in patterns:
        here = {**params, **_params_of(p.pattern)}
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            routes += enumerate_routes(p.url_patterns, prefix + str(p.pattern), ns, here)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = f"{namespace}:{p.name or '<' + route + '>'}" if namespace else (p.name or route)
            routes.append(Route(name, route, tuple(here), here))
    return routes


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def build_url(route: str, values: dict[str, Any]) -> str:
    def sub(m: re.Match) -> str:
        return str(values[m.group("name") or m.group("rname")])

    return "/" + _PARAM.sub(sub, route).replace("^", "").replace("$", "")


def object_routes() -> list[Route]:
    return [r for r in enumerate_routes() if r.params]


def _exempt(name: str) -> str | None:
    if name in EXEMPT:
        return EXEMPT[name]
    return next((why for prefix, why in EXEMPT_PREFIXES.items() if name.startswith(prefix)), None)


def _values(data: sf.SecurityData, side: str, variant: dict[str, str]) -> dict[str, Any] | None:
    """The URL parameters of `variant` on `side`, or None if that side has no such object."""
    values: dict[str, Any] = {}
    for param, kind in variant.items():
        if kind.startswith("="):
            values[param] = kind[1:]
        elif kind in data.objs[side]:
            values[param] = data.objs[side][kind].pk
        else:
            return None
    return values


def _client(data: sf.SecurityData, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.force_login(data.users[role])
    return client


def _request(client: Client, method: str, url: str):
    """GET or POST `url`; an export's first step (a redirect to its own signed, expiring link) is followed.

    The first step only checks that the role may export that kind of file; the signed link
    is where the object is looked up in the user's scope, so that is the answer judged.
    """
    response = getattr(client, method)(url)
    if method == "get" and response.status_code == 302:
        target = urlsplit(response["Location"])
        if target.path == urlsplit(url).path and "t" in parse_qs(target.query):
            response = client.get(response["Location"])
    return response


def _refused(role: str, method: str, response) -> bool:
    status = response.status_code
    if role == ANONYMOUS:
        if status == 302:
            return response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        return status in (401, 403, 404, 405)
    return status in (403, 404, 405)


# The data set, once per module ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker, tmp_path_factory):
    with sf.module_dataset(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


# Tests --------------------------------------------------------------------------------------------------


def test_every_parameterised_route_is_mapped():
    routes = object_routes()
    names = {r.name for r in routes}
    unmapped = sorted(r.name for r in routes if r.name not in SPECS and _exempt(r.name) is None)
    assert unmapped == [], f"routes with object parameters but no entry in SPECS or EXEMPT: {unmapped}"
    stale = sorted((set(SPECS) | set(EXEMPT)) - names)
    assert stale == [], f"SPECS/EXEMPT entries for routes that no longer exist: {stale}"
    for r in routes:
        if r.name in SPECS:
            for variant in SPECS[r.name].variants:
                assert set(variant) == set(r.params), f"{r.name}: parameters {r.params}, mapped {sorted(variant)}"
    assert len([r for r in routes if r.name in SPECS]) >= 90  # the table really covers the site


def test_enumeration_finds_the_api_and_the_converters():
    routes = {r.name: r for r in enumerate_routes()}
    api = [r for r in routes.values() if r.route.startswith("api/v1/")]
    assert {"reports:stats_overview", "reports:stats_suggestions"} <= {r.name for r in api}
    assert all(not r.params for r in api)  # the API takes its year from the query string, no object ids
    act = routes["suggestions:act"]
    assert act.converters == {"pk": "id", "action": "slug"}  # ids are bounded (core/converters.py)
    assert routes["public_suggestions:detail"].converters == {"token": "slug"}  # token_urlsafe letters only


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_object_outside_the_roles_scope_is_served(data, role):
    """GET and POST (empty body) with side B's objects, and other deputies' for the deputy: 403/404, no 5xx."""
    client = _client(data, role)
    leaks: list[str] = []
    tried = 0
    sides = ["b", "other"] if role == "deputy" else ["b"]
    for route in object_routes():
        s = SPECS.get(route.name)
        if s is None:
            continue
        for side in sides:
            for variant in s.variants:
                values = _values(data, side, variant)
                if values is None:
                    continue
                url = build_url(route.route, values)
                allowed = side == "b" and role in s.openers
                for method in ("get", "post"):
                    if allowed and method == "post":
                        continue  # an allowed role's POST would act; its GET is checked for errors only
                    response = _request(client, method, url)
                    tried += 1
                    status = response.status_code
                    if status >= 500:
                        leaks.append(f"{method.upper()} {url} [{route.name}] as {role}: {status} (server error)")
                    elif not allowed and not _refused(role, method, response):
                        leaks.append(f"{method.upper()} {url} [{route.name}] as {role}: {status}")
    assert tried > 100
    assert leaks == [], "\n" + "\n".join(leaks)


@pytest.mark.django_db
def test_allowed_role_reaches_every_route(data):
    """The same routes open for a role that may (the city officer unless stated): the test above is not vacuous."""
    clients: dict[str, Client] = {}
    failures: list[str] = []
    for route in object_routes():
        s = SPECS.get(route.name)
        if s is None:
            continue
        role, side, method, ok = s.positive
        client = clients.setdefault(role, _client(data, role))
        for variant in s.variants:
            values = _values(data, side, {**variant, **s.positive_params})
            assert values is not None, f"{route.name}: no object for the allowed role"
            url = build_url(route.route, values)
            response = _request(client, method, url)
            if response.status_code not in ok:
                failures.append(f"{method.upper()} {url} [{route.name}] as {role}: {response.status_code}")
            if method == "post":
                # POST-only routes refuse GET, whoever asks.
                assert client.get(url).status_code == 405, url
    assert failures == [], "\n" + "\n".join(failures)


A_ROLES = ["township", "group", "liaison", "deputy", "unit"]


def _page_numbers(text: str) -> list[int]:
    return sorted({int(n) for n in re.findall(r"[?&;]page=(\d+)", text)})


@pytest.mark.django_db
@pytest.mark.parametrize("role", A_ROLES)
def test_no_page_links_to_an_object_outside_the_roles_scope(data, role):
    """Lists, desks and dashboards of a township-A role never link to side B's objects it may not open."""
    foreign = set()
    for route in object_routes():
        s = SPECS.get(route.name)
        if s is None or role in s.openers:
            continue
        for variant in s.variants:
            values = _values(data, "b", variant)
            if values is not None:
                foreign.add(build_url(route.route, values))
    client = _client(data, role)
    found = []
    for route in enumerate_routes():
        if route.params or route.name in ("accounts:logout", "admin:logout"):
            continue
        url = build_url(route.route, {})
        first = client.get(url, {"year": data.year} if route.route.startswith("api/v1/") else {})
        pages = [first]
        if first.status_code == 200 and not getattr(first, "streaming", False):
            for n in _page_numbers(first.content.decode(errors="replace"))[:30]:
                if n > 1:
                    pages.append(client.get(url, {"page": n}))
        for response in pages:
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            text = response.content.decode(errors="replace")
            found += [f"{url}: links to {href}" for href in foreign if f'"{href}"' in text]
    assert found == [], "\n" + "\n".join(sorted(found))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["township", "group", "liaison", "deputy"])
def test_query_string_object_ids_stay_in_scope(data, role):
    """Object ids in query strings (?reception=, ?plan=, ?deputy=, ...) of side B pre-fill nothing."""
    b = data.objs["b"]
    visible = {
        b["station"].name,
        b["deputy"].name,
        b["training_plan"].title,
        b["training_session"].title,
        b["activity"].topic,
        b["suggestion"].title,
    }
    client = _client(data, role)
    urls = [
        f"/opinions/new/?reception={b['reception'].pk}",
        f"/opinions/slots/new/?station={b['station'].pk}",
        f"/opinions/receptions/new/?station={b['station'].pk}",
        f"/activities/problems/new/?activity={b['activity'].pk}",
        f"/activities/assessments/new/?station={b['station'].pk}",
        f"/activities/?campaign={b['campaign'].pk}&group={b['group'].pk}",
        f"/training/sessions/new/?plan={b['training_plan'].pk}",
        f"/training/distributions/new/?session={b['training_session'].pk}&material={b['material'].pk}",
        f"/records/reports/new/?deputy={b['deputy'].pk}",
        f"/records/me/?term={b['mandate'].pk}",
        f"/org/sessions/new/?congress={b['congress'].pk}",
        f"/suggestions/?region={data.city.township_b.pk}&unit={b['unit'].pk}",
        f"/deputies/?group={b['group'].pk}",
        f"/opinions/?station={b['station'].pk}",
    ]
    shown = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        if response.status_code == 200:
            text = response.content.decode(errors="replace")
            shown += [f"{url}: {name}" for name in visible if name in text]
    assert shown == [], "\n" + "\n".join(shown)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["township", "group", "liaison", "deputy", "unit"])
def test_api_figures_stay_in_the_roles_scope(data, role):
    """The JSON API takes no object ids; its figures for a township-A role never name township B's places."""
    client = _client(data, role)
    year = data.year
    for route in enumerate_routes():
        if not route.route.startswith("api/v1/"):
            continue
        response = client.get(build_url(route.route, {}), {"year": year})
        assert response.status_code in (200, 403), (route.name, response.status_code)
        if response.status_code == 200:
            text = response.content.decode()
            for foreign in ("白杨坪镇", "洞下槽村", data.city.deputies_b[1].name):
                assert foreign not in text, (route.name, role, foreign)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_is_closed_to_every_role(data, role):
    """No business role (nor any of the three administrators) is Django-admin staff: every admin URL redirects."""
    from django.contrib.contenttypes.models import ContentType

    from deputyhome.core.models import CalendarOverride

    override = CalendarOverride.objects.create(date=datetime.date(data.year, 10, 8), is_workday=False)
    values = {
        "object_id": override.pk,
        "pk": override.pk,
        "content_type_id": ContentType.objects.get_for_model(CalendarOverride).pk,
        "app_label": "core",
        "url": "core/calendaroverride/",
    }
    if role != ANONYMOUS:
        assert not data.users[role].is_staff and not data.users[role].is_superuser
    client = _client(data, role)
    opened = []
    for route in enumerate_routes():
        if not route.name.startswith("admin:") or route.name in ("admin:login", "admin:logout", "admin:jsi18n"):
            continue
        url = build_url(route.route, values)
        response = client.get(url)
        if response.status_code != 302 or "/django-admin/login/" not in response["Location"]:
            opened.append(f"{url} [{route.name}]: {response.status_code}")
    assert opened == [], "\n" + "\n".join(opened)


# Public identifiers -------------------------------------------------------------------------------------

URLSAFE = set(string.ascii_letters + string.digits + "-_")


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


@pytest.mark.django_db
def test_public_reply_tokens(data, client):
    """Reply tokens: 16 URL-safe characters (96 random bits), unrelated to each other; a guess finds nothing."""
    from deputyhome.suggestions.models import Suggestion, _tracking_token

    tokens = list(Suggestion.objects.order_by("pk").values_list("public_token", flat=True))
    tokens += [_tracking_token() for _ in range(200)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert len(token) >= 16 and set(token) <= URLSAFE, token
    for one, two in zip(tokens, tokens[1:], strict=False):
        assert _common_prefix(one, two) < 4, (one, two)  # no counter or timestamp at the front
    assert len(set("".join(tokens))) > 50  # drawn from the whole 64-character alphabet

    published, unpublished = data.objs["b"]["suggestion"], data.objs["a"]["suggestion"]
    assert published.publish_reply and not unpublished.publish_reply
    assert client.get(f"/public/replies/{published.public_token}/").status_code == 200
    token = published.public_token
    for guess in (
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character changed
        token[:-1],  # one character short
        token.upper() if token.upper() != token else token.lower(),  # case matters
        str(published.pk),
        f"{published.pk:016d}",
        unpublished.public_token,  # real, but not published
        token[:8] + "\x00",  # a NUL: no token (PostgreSQL cannot even compare it)
        token + "%",
    ):
        assert client.get(f"/public/replies/{guess}/").status_code == 404, guess


@pytest.mark.django_db
def test_tracking_codes(data, client):
    """Tracking codes: 12 characters from 31 (about 59 bits), random; an altered code shows nothing."""
    from deputyhome.opinions import codes
    from deputyhome.opinions.models import Opinion
    from deputyhome.opinions.public_views import NOT_FOUND

    stored = list(Opinion.objects.order_by("pk").values_list("tracking_code", flat=True))
    drawn = [codes.new_code() for _ in range(300)]
    assert len(set(stored + drawn)) == len(stored + drawn)
    assert len(codes.ALPHABET) >= 31 and codes.LENGTH >= 12  # 31^12 ≈ 2^59
    for code in stored + drawn:
        assert len(code) == 12 and set(code) <= set(codes.ALPHABET)
    for one, two in zip(stored + drawn, (stored + drawn)[1:], strict=False):
        assert _common_prefix(one, two) < 4, (one, two)

    real = data.objs["b"]["opinion"].tracking_code
    found = client.post("/opinions/p/track/", {"code": codes.display(real)})
    assert found.status_code == 200 and "查询办理进度" in found.content.decode()
    assert NOT_FOUND not in found.content.decode()
    other = codes.ALPHABET[(codes.ALPHABET.index(real[-1]) + 1) % len(codes.ALPHABET)]
    for guess in (real[:-1] + other, real[:-1], "2" * 12, str(data.objs["b"]["opinion"].pk)):
        answer = client.post("/opinions/p/track/", {"code": guess}).content.decode()
        assert NOT_FOUND in answer, guess
        assert data.objs["b"]["opinion"].content not in answer
    assert client.get(f"/opinions/p/track/?code={real}").status_code == 200  # a code in a URL is ignored


@pytest.mark.django_db
def test_unpublished_story_is_not_public(data, client):
    published, unpublished = data.objs["b"]["story"], data.objs["a"]["story"]
    assert published.is_published and not unpublished.is_published
    assert client.get(f"/opinions/p/stories/{published.pk}/").status_code == 200
    assert client.get(f"/opinions/p/stories/{unpublished.pk}/").status_code == 404


@pytest.mark.django_db
def test_roster_upload_token_is_bound_to_its_session(data):
    """The pending roster upload is named by a random token kept in the uploader's session: a guess imports nothing."""
    from deputyhome.deputies.models import Deputy

    before = Deputy.objects.count()
    for role in ("city", "township"):
        client = _client(data, role)
        response = client.post("/roster/apply/", {"token": "guessed-token-0000000000000000"})
        assert response.status_code == 302 and response["Location"].endswith("/roster/")
    assert Deputy.objects.count() == before


# Bad input writes nothing ------------------------------------------------------------------------------------
# Every form page, sent back with every field emptied, answers 400 with a message by the fields, never a 5xx, and
# writes no audit event (every write records one): edit forms on the data set's objects as the role that may (the
# specs above), new-object forms as the city officer. It found the time-slot form's 500: the model form had written
# the emptied date onto the slot, whose name the page title printed (core.crud now gives the form a copy).

FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.S)
MAIN_FORM = re.compile(r'<form method="post"[^>]*>(.*?)</form>', re.S)


def _emptied(html: str) -> dict[str, str] | None:
    """The main form's fields, every one empty; None where the page has no form."""
    main = html[html.find("<main") :]
    found = MAIN_FORM.search(main)
    if not found:
        return None
    return {name: "" for name in FIELD.findall(found.group(1)) if name != "csrfmiddlewaretoken"}


def _send_emptied(client, url: str, name: str, faults: list[str]) -> bool:
    page = client.get(url)
    if page.status_code != 200:
        return False
    body = _emptied(page.content.decode())
    if not body:
        return False
    before = AuditEvent.objects.count()
    response = client.post(url, body)
    html = response.content.decode()
    if response.status_code != 400:
        faults.append(f"{name} {url}: {response.status_code}")
    elif 'class="errorlist' not in html:
        faults.append(f"{name} {url}: 400 without a message by the fields")
    if AuditEvent.objects.count() != before:
        faults.append(f"{name} {url}: wrote {AuditEvent.objects.count() - before} audit event(s)")
    return True


@pytest.mark.django_db
def test_every_edit_form_sent_back_empty_writes_nothing(data):
    clients: dict = {}
    faults: list[str] = []
    sent = 0
    for route in object_routes():
        spec = SPECS.get(route.name)
        if not route.name.endswith("update") or spec is None:
            continue
        role, side, _method, _ok = spec.positive
        client = clients.setdefault(role, _client(data, role))
        values = _values(data, side, {**spec.variants[0], **spec.positive_params})
        sent += _send_emptied(client, build_url(route.route, values), route.name, faults)
    assert sent >= 25  # the organisation's, the deputies', the activities', the voters', training's, ...
    assert faults == [], "\n" + "\n".join(faults)


@pytest.mark.django_db
def test_every_new_object_form_sent_back_empty_writes_nothing(data):
    client = _client(data, "city")
    faults: list[str] = []
    sent = sum(
        _send_emptied(client, "/" + route.route, route.name, faults)
        for route in enumerate_routes()
        if route.name.endswith("create") and not route.params
    )
    assert sent >= 15
    assert faults == [], "\n" + "\n".join(faults)


# Odd input in the address -------------------------------------------------------------------------------------
# Every page answers an address with odd values in the usual parameters without a 5xx: a NUL (PostgreSQL can neither
# store nor compare it), "²" (a digit to str.isdigit, not to int), a year past 9999 (decision 110).
ODD_QUERY = {
    "q": "\x00",
    "name": "\x00",
    "year": "²",
    "quarter": "²",
    "page": "²",
    "congress": "²",
    "township": "²",
    "region": "99999999999999999999",
    "station": "²",
    "session": "²",
    "date_from": "99999-01-01",
}


@pytest.mark.django_db
def test_odd_values_in_the_address_are_no_server_error(data):
    faults: list[str] = []
    asked = 0
    clients = {role: _client(data, role) for role in ("city", "township", ANONYMOUS)}
    for route in enumerate_routes():
        if route.params or "logout" in route.name or route.name.startswith("admin"):
            continue
        for role, client in clients.items():
            asked += 1
            status = client.get("/" + route.route, ODD_QUERY).status_code
            if status >= 500:
                faults.append(f"{route.name} as {role}: {status}")
    for route in object_routes():
        spec = SPECS.get(route.name)
        if spec is None or spec.positive[2] != "get":
            continue
        role, side = spec.positive[0], spec.positive[1]
        client = clients.get(role) or clients.setdefault(role, _client(data, role))
        values = _values(data, side, {**spec.variants[0], **spec.positive_params})
        asked += 1
        status = client.get(build_url(route.route, values), ODD_QUERY).status_code
        if status >= 500:
            faults.append(f"{route.name} as {role}: {status}")
    assert asked > 400
    assert faults == [], "\n" + "\n".join(faults)
