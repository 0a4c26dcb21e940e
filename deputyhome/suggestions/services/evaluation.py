"""The deputies' evaluation of a reply, and what follows it: closing, or re-handling after a
dissatisfied first round.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from deputyhome.core import workdays
from deputyhome.deputies.models import Deputy

from .. import workflow
from ..choices import Action, ActorRole, AssignmentStatus, Satisfaction, UnitRole
from ..models import (
    Evaluation,
    Suggestion,
)
from .course import (
    evaluators,
    local_today,
    lock,
    lock_for_step,
    notify,
    policy_for,
    record_step,
    require,
    unit_users,
)
from .merging import close_merged_with


def _conclude_if_complete(s: Suggestion, actor: Any) -> None:
    """Once every deputy has answered (or been recorded as not answering), close or re-handle."""
    answered = set(s.evaluations.filter(round=s.round).values_list("deputy_id", flat=True))
    if not set(evaluators(s)) <= answered:
        return
    dissatisfied = s.evaluations.filter(round=s.round, result=Satisfaction.DISSATISFIED).exists()
    if dissatisfied and s.round == 1:
        today = local_today()
        s.round = 2
        s.consultation_waived = False
        s.due_on = workdays.due_after_months(today, policy_for(today, s.congress).rehandling_months)
        s.evaluation_due_on = None
        reasons = "；".join(
            f"{e.deputy.name}：{e.comment}"
            for e in s.evaluations.filter(round=1, result=Satisfaction.DISSATISFIED).select_related("deputy")
        )
        record_step(
            s, Action.REHANDLE, None, note=f"代表不满意，转重新办理，期限{s.due_on:%Y-%m-%d}。不满意理由：{reasons}"
        )
        lead_ids = s.assignments.filter(status=AssignmentStatus.ACTIVE, role=UnitRole.LEAD).values_list(
            "unit_id", flat=True
        )
        notify(unit_users(lead_ids), f"代表不满意，请重新办理：{s.title}", s)
    else:
        s.closed_on = local_today()
        record_step(s, Action.CLOSE, None, note="评价完成，办结")
        close_merged_with(lead=s, actor=actor)


@transaction.atomic
def suggestion_evaluate(*, suggestion: Suggestion, attitude: str, result: str, comment: str, actor: Any) -> Evaluation:
    s = lock_for_step(suggestion, Action.EVALUATE, actor)
    require(actor.deputy_id in evaluators(s), "只有领衔代表和已确认的联名代表可以评价。")
    require(not s.evaluations.filter(round=s.round, deputy_id=actor.deputy_id).exists(), "您已评价过本轮答复。")
    require(attitude in Satisfaction.values and result in Satisfaction.values, "请选择办理态度和办理结果的满意程度。")
    require(
        Satisfaction.DISSATISFIED not in (attitude, result) or bool(comment.strip()),
        "选择“不满意”时，请说明不满意的理由，以便承办单位重新办理。",
    )
    ev = Evaluation.objects.create(
        suggestion=s,
        deputy_id=actor.deputy_id,
        round=s.round,
        attitude=attitude,
        result=result,
        comment=comment,
        evaluated_on=local_today(),
    )
    record_step(
        s,
        Action.EVALUATE,
        actor,
        note=f"办理态度：{Satisfaction(attitude).label}；办理结果：{Satisfaction(result).label}。{comment}".strip(),
        data={"attitude": attitude, "result": result},
    )
    _conclude_if_complete(s, actor)
    return ev


@transaction.atomic
def suggestion_record_no_evaluation(*, suggestion: Suggestion) -> Suggestion:
    """The evaluation window passed: record who did not answer, visibly, and conclude."""
    s = lock(suggestion)
    workflow.transition(s.state, Action.NO_EVALUATION, {ActorRole.SYSTEM})
    require(
        s.evaluation_due_on is not None and local_today() > s.evaluation_due_on,
        "评价期限未过，不能记为逾期未评价。",
    )
    answered = set(s.evaluations.filter(round=s.round).values_list("deputy_id", flat=True))
    missing = [d for d in evaluators(s) if d not in answered]
    for deputy_id in missing:
        Evaluation.objects.create(
            suggestion=s, deputy_id=deputy_id, round=s.round, no_response=True, evaluated_on=local_today()
        )
    names = "、".join(Deputy.objects.filter(pk__in=missing).values_list("name", flat=True))
    record_step(s, Action.NO_EVALUATION, None, note=f"评价期限{s.evaluation_due_on:%Y-%m-%d}已过，{names}未评价")
    _conclude_if_complete(s, None)
    return s
