"""A form acting on a state that changed since it was shown is refused, not applied twice.

Two staff open the same registered suggestion and both assign it: the first wins, the second is told the
suggestion changed and nothing of theirs is written (one lead unit, one 新交办 notification).

A unit's clerk opens the reply form; before it is sent the suggestion is sent back and reassigned (to the
same unit or another): the reply is refused with a message saying so, and nothing of it is written.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from deputyhome.notifications.models import Notification
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import AssignmentStatus, State
from deputyhome.testing import draft_suggestion


def _registered(people, session, categories):
    cats, _classes = categories
    deputy, staff = people["deputy"], people["city"]
    s = draft_suggestion(
        deputy, "关于修缮西门小学操场的建议", situation="破损", reasons="安全", proposals="修缮", session=session
    )
    sv.suggestion_submit(suggestion=s, actor=deputy)
    return sv.suggestion_register(suggestion=s, category=cats["其他"], actor=staff)


def _shown_form(client: Client, s) -> dict[str, str]:
    """The assign form's hidden fields as the page shows them."""
    page = client.get(f"/suggestions/{s.pk}/").content.decode()
    return dict(re.findall(r'<input type="hidden" name="([\w-]*version)" value="(\d+)"', page))


def _assign(client: Client, s, shown: dict[str, str], unit) -> int:
    name = next(iter(shown))
    prefix = name[: -len("version")]
    data = {**shown, f"{prefix}lead_unit": unit.pk, f"{prefix}requirements": ""}
    return client.post(f"/suggestions/{s.pk}/act/assign/", data).status_code


def _new_assignment_notices(s) -> list[str]:
    notices = Notification.objects.filter(channel="in_app", subject__startswith="新交办", subject__contains=s.title)
    return list(notices.values_list("user__username", flat=True))


@pytest.mark.django_db
def test_the_second_of_two_assignments_shown_together_is_refused(
    city, people, session, categories, django_capture_on_commit_callbacks
):
    s = _registered(people, session, categories)
    first, second = Client(), Client()
    first.force_login(people["city"])
    second.force_login(people["city"])
    shown_first, shown_second = _shown_form(first, s), _shown_form(second, s)
    assert shown_first and shown_first == shown_second
    with django_capture_on_commit_callbacks(execute=True):
        _assign(first, s, shown_first, city.unit_a)
        response = second.post(
            f"/suggestions/{s.pk}/act/assign/",
            {**shown_second, **{k.replace("version", "lead_unit"): city.unit_b.pk for k in shown_second}},
            follow=True,
        )
    assert "已有新的办理步骤" in response.content.decode()
    s.refresh_from_db()
    assert s.state == State.ASSIGNED
    active = list(s.assignments.filter(status=AssignmentStatus.ACTIVE).values_list("unit_id", flat=True))
    assert active == [city.unit_a.pk]
    assert _new_assignment_notices(s) == ["unit"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_assignments_on_postgresql(city, people, session, categories):
    """Two requests at once, each on its own connection: one assignment, one unit notified."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL")
    s = _registered(people, session, categories)
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(people["city"])
    shown = [_shown_form(c, s) for c in clients]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def run(client: Client, form: dict[str, str], unit) -> None:
        from django.db import connections

        try:
            start.wait()
            statuses.append(_assign(client, s, form, unit))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(clients[0], shown[0], city.unit_a)),
        threading.Thread(target=run, args=(clients[1], shown[1], city.unit_b)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 2
    active = list(s.assignments.filter(status=AssignmentStatus.ACTIVE).values_list("unit_id", flat=True))
    assert len(active) == 1
    assert len(_new_assignment_notices(s)) == 1


# A unit's reply written before the suggestion was reassigned -----------------------------------------------


def _handling(city, people, session, categories):
    """Assigned to unit A, received, the deputy consulted: the unit may reply."""
    s = _registered(people, session, categories)
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=people["city"])
    sv.suggestion_receive(suggestion=s, actor=people["unit"])
    sv.suggestion_consult(
        suggestion=s, date=timezone.localdate(), way="in_person", notes="当面沟通", actor=people["unit"]
    )
    return s


def _second_clerk(city):
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    return User.objects.create(username="unit_a2", role=Role.UNIT_CLERK, unit=city.unit_a, display_name="经办人乙")


def _reply_form(client: Client, s) -> dict[str, str]:
    """The reply form's hidden version as the unit's page shows it."""
    page = client.get(f"/suggestions/{s.pk}/").content.decode()
    return dict(re.findall(r'<input type="hidden" name="(reply-version)" value="(\d+)"', page))


def _reply(client: Client, s, shown: dict[str, str], categories, follow: bool = False):
    _cats, classes = categories
    data = {**shown, "reply-text": "已列入明年计划，年内完成修缮。", "reply-result_class": classes["A"].pk}
    return client.post(f"/suggestions/{s.pk}/act/reply/", data, follow=follow)


def _reply_written(s) -> dict[str, int]:
    """Everything a reply writes: its row, attachments, the timeline event, the audit row, the staff's notice."""
    from deputyhome.audit.models import AuditEvent
    from deputyhome.suggestions.models import Attachment, Event, Reply

    return {
        "replies": Reply.objects.filter(suggestion=s).count(),
        "attachments": Attachment.objects.filter(suggestion=s, reply__isnull=False).count(),
        "events": Event.objects.filter(suggestion=s, action="reply").count(),
        "audit": AuditEvent.objects.filter(action="suggestion.reply", object_id=str(s.pk)).count(),
        "notices": Notification.objects.filter(subject__startswith="答复待审核", subject__contains=s.title).count(),
    }


NOTHING = {"replies": 0, "attachments": 0, "events": 0, "audit": 0, "notices": 0}


@pytest.mark.django_db
def test_a_reply_shown_before_a_return_and_a_reassignment_to_the_same_unit_is_refused(
    city, people, session, categories, django_capture_on_commit_callbacks
):
    s = _handling(city, people, session, categories)
    clerk = Client()
    clerk.force_login(people["unit"])
    shown = _reply_form(clerk, s)
    assert shown
    # Meanwhile: a colleague sends it back as wrongly assigned, the committee assigns it to the same unit
    # again with new requirements, and the unit receives it: the state allows a reply again.
    sv.suggestion_unit_return(suggestion=s, reason="涉及规划，需会同自然资源局", actor=_second_clerk(city))
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, requirements="会同自然资源局办理", actor=people["city"])
    sv.suggestion_receive(suggestion=s, actor=people["unit"])
    s.refresh_from_db()
    assert s.state == State.HANDLING

    with django_capture_on_commit_callbacks(execute=True):
        response = _reply(clerk, s, shown, categories, follow=True)
    assert response.status_code == 200
    assert sv.STALE_ASSIGNMENT in response.content.decode()
    s.refresh_from_db()
    assert s.state == State.HANDLING
    assert _reply_written(s) == NOTHING

    # The page shown again carries the new assignment; that reply goes through.
    fresh = _reply_form(clerk, s)
    assert fresh and fresh != shown
    with django_capture_on_commit_callbacks(execute=True):
        assert _reply(clerk, s, fresh, categories).status_code == 302
    s.refresh_from_db()
    assert s.state == State.REPLIED
    assert _reply_written(s)["replies"] == 1


@pytest.mark.django_db
def test_a_reply_to_a_suggestion_reassigned_to_another_unit_is_refused_with_the_reason(
    city, people, session, categories
):
    s = _handling(city, people, session, categories)
    clerk = Client()
    clerk.force_login(people["unit"])
    shown = _reply_form(clerk, s)
    sv.suggestion_unit_return(suggestion=s, reason="不属本单位职责", actor=_second_clerk(city))
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_b, actor=people["city"])
    response = _reply(clerk, s, shown, categories, follow=True)
    assert sv.STALE_ASSIGNMENT in response.content.decode()
    s.refresh_from_db()
    assert s.state == State.ASSIGNED
    assert _reply_written(s) == NOTHING


@pytest.mark.django_db
def test_other_steps_in_between_do_not_refuse_the_reply(city, people, session, categories):
    """Only the assignment counts: a supervision record made while the clerk writes does not make the form stale."""
    s = _handling(city, people, session, categories)
    clerk = Client()
    clerk.force_login(people["unit"])
    shown = _reply_form(clerk, s)
    sv.supervision_record_add(
        suggestion=s,
        method="documents",
        date=timezone.localdate(),
        findings="查阅办理材料",
        follow_up="",
        actor=people["supervisor"],
    )
    assert _reply(clerk, s, shown, categories).status_code == 302
    s.refresh_from_db()
    assert s.state == State.REPLIED


@pytest.mark.django_db
def test_the_reply_service_checks_the_assignment_under_its_lock(city, people, session, categories):
    s = _handling(city, people, session, categories)
    shown = sv.assignment_version(s)
    sv.suggestion_unit_return(suggestion=s, reason="不属本单位职责", actor=_second_clerk(city))
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=people["city"])
    sv.suggestion_receive(suggestion=s, actor=people["unit"])
    _cats, classes = categories
    with pytest.raises(ValidationError) as refused:
        sv.suggestion_reply(
            suggestion=s,
            text="已办理",
            result_class=classes["A"],
            publishable=False,
            follow_up_on=None,
            actor=people["unit"],
            version=shown,
        )
    assert refused.value.code == "stale"
    assert _reply_written(s) == NOTHING


@pytest.mark.django_db(transaction=True)
def test_a_reply_and_a_return_at_once_on_postgresql(city, people, session, categories):
    """Two clerks of the lead unit at once, each on its own connection: one sends the suggestion back, the other
    replies with the form shown before. Exactly one of them takes effect; the other writes nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL")
    s = _handling(city, people, session, categories)
    replier, returner = Client(), Client()
    replier.force_login(people["unit"])
    returner.force_login(_second_clerk(city))
    shown = _reply_form(replier, s)
    assert shown
    start = threading.Barrier(2)
    statuses: list[int] = []

    def run(post) -> None:
        from django.db import connections

        try:
            start.wait()
            statuses.append(post())
        finally:
            connections.close_all()

    def send_back() -> int:
        url = f"/suggestions/{s.pk}/act/unit_return/"
        return returner.post(url, {"unit_return-reason": "不属本单位职责"}).status_code

    threads = [
        threading.Thread(target=run, args=(lambda: _reply(replier, s, shown, categories).status_code,)),
        threading.Thread(target=run, args=(send_back,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    s.refresh_from_db()
    written = _reply_written(s)
    if s.assignments.filter(status=AssignmentStatus.RETURNED).exists():
        # The return went first: the reply is refused, nothing of it written.
        assert s.state == State.REGISTERED and written == NOTHING
    else:
        # The reply went first: the return is refused.
        assert s.state == State.REPLIED and written["replies"] == written["events"] == 1
