"""A form acting on a state that changed since it was shown is refused, not applied twice.

Two staff open the same registered suggestion and both assign it: the first wins, the second is told the
suggestion changed and nothing of theirs is written (one lead unit, one 新交办 notification).
"""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

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
