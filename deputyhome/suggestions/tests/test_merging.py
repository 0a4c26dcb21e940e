"""并案 and its undo: every deputy keeps the right to evaluate, and the register keeps its numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.models import Suggestion
from deputyhome.suggestions.services import merging

from .memory import answer, at, make_suggestion


def _evaluators(s: Suggestion) -> set[int]:
    s = Suggestion.objects.get(pk=s.pk)
    return {s.author_id, *s.cosigners.filter(confirmed_at__isnull=False).values_list("deputy_id", flat=True)}


@pytest.mark.django_db
def test_merge_and_undo_keep_rights_and_numbers(city, people, session, categories):
    cats, classes = categories
    lead = make_suggestion(city, people, session, "关于西门社区老旧小区改造的建议", cats=cats)
    dup1 = make_suggestion(city, people, session, "西门社区老旧小区亟需改造", author=city.deputies_b[0], cats=cats)
    dup2 = make_suggestion(city, people, session, "老旧小区改造", author=city.deputies_b[1], cats=cats)
    numbers = sorted(Suggestion.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    staff = people["city"]
    with at(2026, 1, 15):
        merging.suggestion_merge(lead=lead, others=[dup1, dup2], actor=staff, note="同一事项")
    assert _evaluators(lead) == {lead.author_id, city.deputies_b[0].pk, city.deputies_b[1].pk}
    assert set(lead.merged.values_list("pk", flat=True)) == {dup1.pk, dup2.pk}
    assert sorted(Suggestion.objects.values_list("number", flat=True)) == numbers  # nothing renumbered or lost
    assert AuditEvent.objects.filter(action="suggestion.merge").count() == 2

    with at(2026, 1, 16):
        merging.suggestion_unmerge(suggestion=dup1, actor=staff)
    dup1.refresh_from_db()
    assert dup1.merged_into_id is None
    assert _evaluators(lead) == {lead.author_id, city.deputies_b[1].pk}
    assert _evaluators(dup1) == {city.deputies_b[0].pk}  # their own suggestion, still theirs to evaluate
    assert sorted(Suggestion.objects.values_list("number", flat=True)) == numbers
    assert AuditEvent.objects.filter(action="suggestion.unmerge").count() == 1

    # One reply answers the merged ones too: the merged deputy evaluates the lead's reply.
    answer(lead, city, people, classes)
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    merged_deputy = User.objects.create(username="dep_b1", role=Role.DEPUTY, deputy=city.deputies_b[1])
    with at(2026, 2, 3):
        sv.suggestion_evaluate(
            suggestion=lead, attitude="satisfied", result="satisfied", comment="", actor=merged_deputy
        )
    # After the deputies have the reply, the merge can no longer be undone.
    with pytest.raises(ValidationError, match="不能撤销并案"):
        merging.suggestion_unmerge(suggestion=dup2, actor=staff)


@pytest.mark.django_db
def test_only_staff_merge_and_only_registered_unassigned_ones(city, people, session, categories):
    cats, _ = categories
    lead = make_suggestion(city, people, session, "关于西门社区老旧小区改造的建议", cats=cats)
    dup = make_suggestion(city, people, session, "西门社区老旧小区亟需改造", author=city.deputies_b[0], cats=cats)
    draft_only = make_suggestion(city, people, session, "未立案的一件", author=city.deputies_b[1], state="submitted")
    for role in ("deputy", "township", "unit", "supervisor", "sysadmin"):
        with pytest.raises(PermissionDenied):
            merging.suggestion_merge(lead=lead, others=[dup], actor=people[role])
    with pytest.raises(ValidationError, match="尚未交办"):
        merging.suggestion_merge(lead=lead, others=[draft_only], actor=people["city"])
    with pytest.raises(ValidationError, match="请选择"):
        merging.suggestion_merge(lead=lead, others=[lead], actor=people["city"])
    merging.suggestion_merge(lead=lead, others=[dup], actor=people["city"])
    with pytest.raises(ValidationError, match="不能作为主建议"):
        merging.suggestion_merge(lead=dup, others=[lead], actor=people["city"])
    with pytest.raises(PermissionDenied):
        merging.suggestion_unmerge(suggestion=dup, actor=people["deputy"])
    assert Suggestion.objects.get(pk=dup.pk).merged_into_id == lead.pk
