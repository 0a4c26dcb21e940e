"""What a user may do on a motion's page: each action of its course with its form and service.

The workflow table says which actions the user's part allows in the motion's state; `shown` narrows it to
what makes sense now (a signer who already confirmed is offered the withdrawal of their name, not a second
confirmation). The services refuse what the moment does not allow (after the deadline) with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deputyhome.core.steps import Step, StepTable, service_call

from . import forms, services
from .choices import MotionAction
from .models import Motion
from .workflow import IllegalTransition


def _run(service: Callable[..., Any], *fields: str) -> Callable[[Motion, Any, dict[str, Any]], Any]:
    return service_call(service, "motion", *fields)


def _signature(m: Motion, user):
    return next((s for s in m.signers.all() if s.deputy_id == user.deputy_id and not s.is_lead), None)


def _unconfirmed(m: Motion, user) -> bool:
    s = _signature(m, user)
    return s is not None and (s.confirmed_at is None or s.withdrawn_at is not None)


def _confirmed(m: Motion, user) -> bool:
    s = _signature(m, user)
    return s is not None and s.withdrawn_at is None


STEPS = StepTable(
    steps={
        MotionAction.FILE: Step(
            "提出议案",
            None,
            _run(services.motion_file),
            message="议案已提出，请联名代表确认。",
        ),
        MotionAction.CONFIRM: Step("确认联名", None, _run(services.motion_confirm), shown=_unconfirmed),
        MotionAction.UNSIGN: Step(
            "撤回联名",
            forms.NoteForm,
            _run(services.motion_unsign, "note"),
            shown=_confirmed,
            danger=True,
        ),
        MotionAction.WITHDRAW: Step(
            "撤回议案",
            forms.NoteForm,
            _run(services.motion_withdraw, "note"),
            danger=True,
        ),
        MotionAction.CHECK: Step(
            "审查（秘书处）",
            forms.CheckForm,
            _run(services.motion_check, "within_powers", "single_matter", "note"),
            message="审查结果已记录。",
        ),
        MotionAction.DECIDE: Step(
            "记录主席团决定",
            forms.DecideForm,
            _run(services.motion_decide, "decision", "committee", "note", "decided_on"),
            message="主席团的决定已记录。",
        ),
        MotionAction.REPORT: Step(
            "记录审议结果报告",
            forms.ReportForm,
            _run(services.motion_report, "reported_on", "report"),
        ),
    },
    allowed=lambda m, u: services.allowed_actions(u, m),
    refusals=(IllegalTransition,),
)
