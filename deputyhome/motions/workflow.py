"""The course of a motion as one table: (state, action) → (the states it may lead to, who may take it).

Plain Python, no database, like the suggestion course (`suggestions/workflow.py`). The services ask
`transition(state, action, parts)` before they write; an illegal move raises `IllegalTransition` with a
message a user can read. The check and the decision lead to one of several states: the service picks it.
"""

from __future__ import annotations

from deputyhome.core.workflow import Course, IllegalTransition, Move
from deputyhome.core.workflow import move as _m

from .choices import MotionAction as A
from .choices import MotionPart as P
from .choices import MotionState as S

TRANSITIONS: dict[tuple[str, str], Move] = {
    # The lead deputy drafts and files; the signers confirm or withdraw their names before the deadline.
    (S.DRAFT, A.EDIT): _m([S.DRAFT], P.LEAD),
    (S.DRAFT, A.FILE): _m([S.FILED], P.LEAD),
    (S.DRAFT, A.WITHDRAW): _m([S.WITHDRAWN], P.LEAD),
    (S.FILED, A.CONFIRM): _m([S.FILED], P.SIGNER),
    (S.FILED, A.UNSIGN): _m([S.FILED], P.SIGNER),
    (S.FILED, A.WITHDRAW): _m([S.WITHDRAWN], P.LEAD),
    # The secretariat checks the signers, the scope and the timing.
    (S.FILED, A.CHECK): _m([S.ACCEPTED, S.REFUSED], P.STAFF),
    # The presidium decides (recorded by staff); a special committee reports on what went on the agenda.
    (S.ACCEPTED, A.DECIDE): _m([S.ON_AGENDA, S.NOT_ON_AGENDA, S.CONVERTED], P.STAFF),
    (S.ON_AGENDA, A.REPORT): _m([S.REPORTED], P.STAFF),
}


COURSE = Course(TRANSITIONS, noun="议案", states=S, actions=A, parts=P)
allowed_actions = COURSE.allowed_actions
transition = COURSE.transition

__all__ = ["COURSE", "TRANSITIONS", "IllegalTransition", "allowed_actions", "transition"]
