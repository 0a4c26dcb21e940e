"""Every route with an object id, as every demo login: each refusal of an existing object leaves one audit row.

The routes are enumerated from the URL resolver (a new route with an id fails `test_every_object_route_is_known`
until it is added to ROUTE_MODELS). Each is requested with the lowest and the highest id of its model, which
in the demo lie in different townships, so each login meets objects inside and outside its scope. A 403 or a
404 for an object that exists must write exactly one refusal row (`access.denied`); a missing object writes none.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Q
from django.test import Client

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import REFUSAL_ACTION
from deputyhome.core.tests.routes import fill, object_routes


@pytest.fixture(scope="module")
def demo_city(demo):
    """`manage.py demo`'s city for the module (the shared `demo` fixture: built once, loaded in a moment)."""
    return demo


# The model whose id fills the route's first id, by url name (longest prefix wins).
ROUTE_MODELS = {
    "accounts:user": "accounts.User",
    "activities:activity": "activities.Activity",
    "suggestions:forward_answer": "suggestions.Forward",
    "suggestions:forward_withdraw": "suggestions.Forward",
    "activities:activity_photo": "activities.ActivityPhoto",
    "activities:assessment": "activities.StationAssessment",
    "activities:campaign": "activities.Campaign",
    "activities:evidence_photo": "activities.EvidencePhoto",
    "activities:output": "activities.Output",
    "activities:output_create": "activities.Activity",
    "activities:posting": "activities.RulePosting",
    "activities:posting_create": "activities.Rule",
    "activities:problem": "activities.Problem",
    "activities:referral": "activities.Referral",
    "activities:rule": "activities.Rule",
    "activities:standard": "activities.StandardItem",
    "activities:theme": "activities.TownshipTheme",
    "activities:theme_set": "activities.Campaign",
    "activities:topic": "activities.GroupTopic",
    "activities:topic_set": "activities.Campaign",
    "calendar:": "core.CalendarOverride",
    "deputies:": "deputies.Deputy",
    "deputies:mandate": "deputies.Mandate",
    "deputies:mandate_create": "deputies.Deputy",
    "deputies:membership": "deputies.GroupMembership",
    "deputies:membership_create": "deputies.Deputy",
    "deputies:term_change": "organisation.Congress",
    "deputies:term_undo": "organisation.Congress",
    "motions:": "motions.Motion",
    "motions:delegation": "motions.Delegation",
    "motions:delegation_create": "organisation.Session",
    "motions:member": "motions.DelegationMember",
    "motions:member_create": "motions.Delegation",
    "motions:motion_rules": "motions.MotionRules",
    "motions:session": "organisation.Session",
    "notifications:read": "notifications.Notification",
    "opinions:": "opinions.Opinion",
    "opinions:pairing": "opinions.Pairing",
    "opinions:public_deputy": "deputies.Deputy",
    "opinions:public_station": "organisation.Station",
    "opinions:public_story": "opinions.ModelStory",
    "opinions:qr": "organisation.Station",
    "opinions:reception": "opinions.Reception",
    "opinions:slot": "opinions.ReceptionSlot",
    "opinions:story": "opinions.ModelStory",
    "organisation:congress": "organisation.Congress",
    "organisation:group": "organisation.DeputyGroup",
    "organisation:region": "organisation.Region",
    "organisation:session": "organisation.Session",
    "organisation:station": "organisation.Station",
    "organisation:unit": "organisation.HandlingUnit",
    "records:": "deputies.Deputy",
    "records:report": "records.VoterReport",
    "suggestions:": "suggestions.Suggestion",
    "suggestions:attachment": "suggestions.Attachment",
    "suggestions:category": "suggestions.Category",
    "suggestions:policy": "suggestions.Policy",
    "suggestions:result": "suggestions.ResultClass",
    "supervision:score": "organisation.HandlingUnit",
    "training:": "training.TrainingSession",
    "training:distribution": "training.MaterialDistribution",
    "training:material": "training.Material",
    "training:plan": "training.TrainingPlan",
}
# Routes not about one object in a scope: the admin back office (its own login), public pages.
NOT_SCOPED = ("admin:", "opinions:public_")
# 404s that are not refusals: the object is in scope, the thing asked of it is not there.
NOT_A_REFUSAL = {
    "activities:output_file",  # an output with no file
    "training:session_screen",  # sign-in screen of a session not open for sign-in
    "training:session_screen_qr",
}
# The scoped logins (city-wide readers see every object; the three administrators are refused by role, a 403).
LOGINS = ["township", "group", "deputy", "unit", "sysadmin"]


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def refusal_rows(after: int) -> int:
    """Refusal rows written after the audit row `after`: a refused request (403, out of scope), a refused export, or
    a refused action on another administrator's account (each of these writes its own row). Only the new rows are
    read (along the primary key): counting the whole trail twice a request took a sixth of the walk's time."""
    return AuditEvent.objects.filter(
        Q(action=REFUSAL_ACTION)
        | Q(action__startswith="export_refused.")
        | Q(action__startswith="user.", success=False),
        pk__gt=after,
    ).count()


def model_of(name: str) -> str | None:
    keys = [k for k in ROUTE_MODELS if name.startswith(k)]
    return ROUTE_MODELS[max(keys, key=len)] if keys else None


def test_every_object_route_is_known():
    unknown = [r.name for r in object_routes() if not r.name.startswith(NOT_SCOPED) and model_of(r.name) is None]
    assert unknown == []


@pytest.mark.timeout(1800)  # about 1,000 requests on the demo city: several minutes on a loaded machine
@pytest.mark.django_db
def test_every_refusal_of_an_existing_object_is_audited_once(demo_city):
    from deputyhome.accounts.models import User

    client = Client(raise_request_exception=False)
    routes = [r for r in object_routes() if not r.name.startswith(NOT_SCOPED)]
    samples: dict[str, list[int]] = {}
    for label in {model_of(r.name) for r in routes}:
        ids = list(apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True))
        samples[label] = sorted({ids[0], ids[-1]}) if ids else []
    requests = refused = 0
    wrong: list[str] = []
    for username in LOGINS:
        client.force_login(User.objects.get(username=username))
        for route in routes:
            for pk in samples[model_of(route.name)]:
                url = fill(route, pk)
                before = last_audit_id()
                response = client.get(url)
                if response.status_code == 405:
                    response = client.post(url, {})
                requests += 1
                rows = refusal_rows(before)
                if response.status_code in (403, 404) and route.name not in NOT_A_REFUSAL:
                    refused += 1
                    if rows != 1:
                        wrong.append(f"{username} {url} -> {response.status_code}, {rows} refusal rows")
                elif response.status_code not in (403, 404) and rows:
                    wrong.append(f"{username} {url} -> {response.status_code}, {rows} refusal rows")
                assert response.status_code < 500, f"{username} {url} -> {response.status_code}"
    print(f"{requests} requests, {refused} refused")
    assert refused > 100
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_a_missing_object_is_not_audited(demo_city):
    from deputyhome.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="city"))
    before = AuditEvent.objects.filter(action=REFUSAL_ACTION).count()
    for url in ("/suggestions/999999999/", "/records/deputies/999999999/", "/supervision/scores/999999999/"):
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action=REFUSAL_ACTION).count() == before
