"""A merged suggestion follows its lead: closed with it, audited; no 交办 of its own; undone ones stay free."""

from __future__ import annotations

import pytest

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import Action, State
from deputyhome.suggestions.models import Suggestion
from deputyhome.suggestions.services import merging
from deputyhome.suggestions.steps import STEPS

from .memory import answer, at, make_suggestion


def _assign_offered(s: Suggestion, user) -> bool:
    s = Suggestion.objects.get(pk=s.pk)
    return STEPS.offered(s, user, Action.ASSIGN, STEPS.get(Action.ASSIGN))


def _deputy_user(deputy_id: int) -> User:
    user = User.objects.filter(deputy_id=deputy_id).first()
    return user or User.objects.create(username=f"dep{deputy_id}", role=Role.DEPUTY, deputy_id=deputy_id)


@pytest.mark.django_db
def test_merged_ones_close_with_the_lead_and_an_undone_one_does_not(city, people, session, categories):
    cats, classes = categories
    staff = people["city"]
    lead = make_suggestion(city, people, session, "关于西门社区老旧小区改造的建议", cats=cats)
    kept = make_suggestion(city, people, session, "西门社区老旧小区亟需改造", author=city.deputies_b[0], cats=cats)
    undone = make_suggestion(city, people, session, "老旧小区改造", author=city.deputies_b[1], cats=cats)
    with at(2026, 1, 15):
        merging.suggestion_merge(lead=lead, others=[kept, undone], actor=staff)
        merging.suggestion_unmerge(suggestion=undone, actor=staff)
    # The ordinary 交办 is offered on the lead and on the freed one, not on the merged one.
    assert _assign_offered(lead, staff) and _assign_offered(undone, staff)
    assert not _assign_offered(kept, staff)

    answer(lead, city, people, classes)
    evaluators = [lead.author_id, *Suggestion.objects.get(pk=lead.pk).cosigners.values_list("deputy_id", flat=True)]
    with at(2026, 2, 3):
        for deputy_id in evaluators:
            lead.refresh_from_db()
            assert lead.state != State.CLOSED  # not before the last deputy has answered
            assert Suggestion.objects.get(pk=kept.pk).state == State.REGISTERED
            sv.suggestion_evaluate(
                suggestion=lead, attitude="satisfied", result="satisfied", comment="", actor=_deputy_user(deputy_id)
            )
    lead.refresh_from_db()
    kept.refresh_from_db()
    undone.refresh_from_db()
    assert lead.state == State.CLOSED
    assert kept.state == State.CLOSED and kept.closed_on == lead.closed_on and kept.merged_into_id == lead.pk
    event = kept.events.get(action=Action.CLOSE)
    assert event.from_state == State.REGISTERED and event.to_state == State.CLOSED and lead.number_label in event.note
    assert AuditEvent.objects.filter(action="suggestion.close", object_id=str(kept.pk)).count() == 1
    # The undone one is its own suggestion again: untouched by the lead's closing.
    assert undone.state == State.REGISTERED and undone.closed_on is None
    assert not undone.events.filter(action=Action.CLOSE).exists()
    assert not AuditEvent.objects.filter(action="suggestion.close", object_id=str(undone.pk)).exists()
