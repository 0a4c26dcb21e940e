"""What a user may do on a suggestion's page: each action of the course with its form and service.

The workflow table (`workflow.py`) says which actions the user's part allows in the current state;
`shown` narrows that to what makes sense on this suggestion now (e.g. no second pending extension).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from deputyhome.core.steps import Step, StepTable, service_call

from . import forms, selectors, services
from .choices import Action, AssignmentStatus, ExtensionStatus, State, UnitRole
from .models import Suggestion
from .workflow import IllegalTransition


def _pending_extension(s: Suggestion):
    return next((e for e in s.extensions.all() if e.status == ExtensionStatus.PENDING), None)


def _consulted_this_round(s: Suggestion) -> bool:
    return selectors.has_rows(s, "consultations") and any(c.round == s.round for c in s.consultations.all())


def _my_assignment(s: Suggestion, user) -> Any:
    return next(
        (a for a in s.assignments.all() if a.unit_id == user.unit_id and a.status == AssignmentStatus.ACTIVE), None
    )


def _within_return_window(s: Suggestion, user) -> bool:
    a = _my_assignment(s, user)
    return a is not None and a.role == UnitRole.LEAD and (a.return_by is None or timezone.localdate() <= a.return_by)


def _of_suggestion(s: Suggestion, user: Any) -> dict[str, Any]:
    """The register and assign forms offer the categories and units of the suggestion's congress."""
    return {"suggestion": s}


def _run(
    service: Callable[..., Any], *fields: str, versioned: bool = False
) -> Callable[[Suggestion, Any, dict[str, Any]], Any]:
    return service_call(service, "suggestion", *fields, versioned=versioned)


STEPS = StepTable(
    steps={
        Action.SUBMIT: Step("提交", None, _run(services.suggestion_submit)),
        Action.CONFIRM_COSIGN: Step(
            "确认联名",
            None,
            _run(services.suggestion_confirm_cosign),
            shown=lambda s, u: any(c.deputy_id == u.deputy_id and c.confirmed_at is None for c in s.cosigners.all()),
        ),
        Action.WITHDRAW: Step(
            "撤回",
            forms.NoteForm,
            _run(services.suggestion_withdraw, "note"),
            shown=lambda s, u: services.may_withdraw(u, s),
            danger=True,
        ),
        Action.REGISTER: Step(
            "审查通过并立案",
            forms.RegisterForm,
            _run(services.suggestion_register, "category"),
            form_kwargs=_of_suggestion,
        ),
        Action.RETURN: Step(
            "退回代表",
            forms.ReturnForm,
            _run(services.suggestion_return, "reason", "note"),
            danger=True,
        ),
        Action.ASSIGN: Step(
            "交办",
            forms.AssignForm,
            _run(services.suggestion_assign, "lead_unit", "co_units", "requirements", "is_complex", versioned=True),
            shown=lambda s, u: not s.merged_into_id,
            form_kwargs=_of_suggestion,
            version=services.version_of,
            stale=services.STALE,
        ),
        Action.RECEIVE: Step("签收", None, _run(services.suggestion_receive)),
        Action.UNIT_RETURN: Step(
            "申请退回（交办有误）",
            forms.ReasonForm,
            _run(services.suggestion_unit_return, "reason"),
            shown=_within_return_window,
            danger=True,
        ),
        Action.CONSULT: Step(
            "记录沟通联系",
            forms.ConsultForm,
            _run(services.suggestion_consult, "date", "way", "notes"),
        ),
        Action.WAIVE_CONSULTATION: Step(
            "免予面商",
            forms.NoteForm,
            _run(services.suggestion_waive_consultation, "note"),
            shown=lambda s, u: not s.consultation_waived and not _consulted_this_round(s),
        ),
        Action.CO_OPINION: Step(
            "提交协办意见",
            forms.OpinionForm,
            _run(services.suggestion_co_opinion, "opinion"),
            shown=lambda s, u: (a := _my_assignment(s, u)) is not None and not a.opinion_on,
        ),
        Action.REQUEST_EXTENSION: Step(
            "申请延期",
            forms.ExtensionForm,
            _run(services.suggestion_request_extension, "months", "reason"),
            shown=lambda s, u: _pending_extension(s) is None,
        ),
        Action.DECIDE_EXTENSION: Step(
            "审批延期",
            forms.DecideExtensionForm,
            lambda s, u, d: services.suggestion_decide_extension(
                extension=_pending_extension(s), approve=d["approve"], note=d["note"], actor=u
            ),
            shown=lambda s, u: _pending_extension(s) is not None,
        ),
        Action.REPLY: Step(
            "答复",
            forms.ReplyForm,
            _run(
                services.suggestion_reply,
                "text",
                "result_class",
                "publishable",
                "follow_up_on",
                "files",
                versioned=True,
            ),
            version=services.assignment_version,
            stale=services.STALE_ASSIGNMENT,
        ),
        Action.ACCEPT_REPLY: Step(
            "审核答复",
            forms.ReviewForm,
            _run(services.suggestion_review_reply, "accept", "note"),
        ),
        Action.EVALUATE: Step(
            "评价",
            forms.EvaluateForm,
            _run(services.suggestion_evaluate, "attitude", "result", "comment"),
            shown=lambda s, u: not any(e.deputy_id == u.deputy_id and e.round == s.round for e in s.evaluations.all()),
        ),
        Action.MARK_KEY: Step(
            "列为重点督办",
            forms.MarkKeyForm,
            _run(services.suggestion_mark_key, "leader", "note"),
            shown=lambda s, u: not s.is_key,
        ),
        Action.SUPERVISE: Step(
            "督办记录",
            forms.SuperviseForm,
            _run(services.supervision_record_add, "method", "date", "findings", "follow_up"),
            message="督办记录已保存。",
            # After closing, supervision is for following up B and C commitments only.
            shown=lambda s, u: s.state != State.CLOSED or bool(s.result_class and s.result_class.needs_follow_up),
        ),
    },
    allowed=lambda s, u: services.allowed_actions(u, s),
    refusals=(IllegalTransition,),
)
