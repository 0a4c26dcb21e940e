"""What a user may do on a motion's page: each action of its course with its form and service.

The workflow table says which actions the user's part allows in the motion's state; `shown` narrows it to
what makes sense now (a signer who already confirmed is offered the withdrawal of their name, not a second
confirmation). The services refuse what the moment does not allow (after the deadline) with the reason.
"""

from __future__ import annotations

from deputyhome.core.steps import Step, StepTable

from . import forms, services
from .choices import MotionAction
from .models import Motion
from .workflow import IllegalTransition


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
            lambda m, u, d: services.motion_file(motion=m, actor=u),
            message="议案已提出，请联名代表确认。",
        ),
        MotionAction.CONFIRM: Step(
            "确认联名", None, lambda m, u, d: services.motion_confirm(motion=m, actor=u), shown=_unconfirmed
        ),
        MotionAction.UNSIGN: Step(
            "撤回联名",
            forms.NoteForm,
            lambda m, u, d: services.motion_unsign(motion=m, actor=u, note=d["note"]),
            shown=_confirmed,
            danger=True,
        ),
        MotionAction.WITHDRAW: Step(
            "撤回议案",
            forms.NoteForm,
            lambda m, u, d: services.motion_withdraw(motion=m, actor=u, note=d["note"]),
            danger=True,
        ),
        MotionAction.CHECK: Step(
            "审查（秘书处）",
            forms.CheckForm,
            lambda m, u, d: services.motion_check(
                motion=m, within_powers=d["within_powers"], single_matter=d["single_matter"], note=d["note"], actor=u
            ),
            message="审查结果已记录。",
        ),
        MotionAction.DECIDE: Step(
            "记录主席团决定",
            forms.DecideForm,
            lambda m, u, d: services.motion_decide(
                motion=m,
                decision=d["decision"],
                committee=d["committee"],
                note=d["note"],
                decided_on=d["decided_on"],
                actor=u,
            ),
            message="主席团的决定已记录。",
        ),
        MotionAction.REPORT: Step(
            "记录审议结果报告",
            forms.ReportForm,
            lambda m, u, d: services.motion_report(motion=m, reported_on=d["reported_on"], report=d["report"], actor=u),
        ),
    },
    allowed=lambda m, u: services.allowed_actions(u, m),
    refusals=(IllegalTransition,),
)
