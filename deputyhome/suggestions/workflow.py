"""The legal course of a suggestion as one table: (state, action) → (next state, who may do it).

Plain Python, no database: the services ask `transition(state, action, roles)` before they
write, and an illegal move raises `IllegalTransition` with a message a user can read.
Actions that record something without moving the suggestion (a consultation, a supervision
record) map a state to itself.
"""

from __future__ import annotations

from deputyhome.core.workflow import Course, IllegalTransition, Move
from deputyhome.core.workflow import move as _m

from .choices import Action as A
from .choices import ActorRole as R
from .choices import State as S

OPEN_STATES = (S.REGISTERED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.AWAITING_EVALUATION, S.REHANDLING)
# A township's desk forwards a matter up to a city unit once it has accepted the suggestion (registered) and
# until its own unit replies: after the reply the township's course is being concluded (docs/decisions.md).
FORWARDABLE_STATES = (S.REGISTERED, S.ASSIGNED, S.HANDLING, S.REHANDLING)


TRANSITIONS: dict[tuple[str, str], Move] = {
    # Drafting and submission: the author (or staff entering it for them).
    (S.DRAFT, A.EDIT): _m(S.DRAFT, R.AUTHOR, R.ENTRY),
    (S.DRAFT, A.SUBMIT): _m(S.SUBMITTED, R.AUTHOR, R.ENTRY),
    (S.DRAFT, A.WITHDRAW): _m(S.WITHDRAWN, R.AUTHOR, R.ENTRY),
    (S.SUBMITTED, A.CONFIRM_COSIGN): _m(S.SUBMITTED, R.COSIGNER),
    (S.RETURNED, A.CONFIRM_COSIGN): _m(S.RETURNED, R.COSIGNER),
    # Screening and registration by the deputy-work committee.
    (S.SUBMITTED, A.RETURN): _m(S.RETURNED, R.STAFF),
    (S.SUBMITTED, A.REGISTER): _m(S.REGISTERED, R.STAFF),
    (S.SUBMITTED, A.WITHDRAW): _m(S.WITHDRAWN, R.AUTHOR, R.ENTRY),
    (S.RETURNED, A.EDIT): _m(S.RETURNED, R.AUTHOR, R.ENTRY),
    (S.RETURNED, A.SUBMIT): _m(S.SUBMITTED, R.AUTHOR, R.ENTRY),
    (S.RETURNED, A.WITHDRAW): _m(S.WITHDRAWN, R.AUTHOR, R.ENTRY),
    # Assignment; a unit may send a wrong assignment back, and staff assign again.
    (S.REGISTERED, A.ASSIGN): _m(S.ASSIGNED, R.STAFF),
    (S.ASSIGNED, A.ASSIGN): _m(S.ASSIGNED, R.STAFF),
    (S.ASSIGNED, A.RECEIVE): _m(S.HANDLING, R.LEAD_UNIT),
    (S.ASSIGNED, A.UNIT_RETURN): _m(S.REGISTERED, R.LEAD_UNIT),
    (S.HANDLING, A.UNIT_RETURN): _m(S.REGISTERED, R.LEAD_UNIT),
    # Handling.
    (S.HANDLING, A.CONSULT): _m(S.HANDLING, R.LEAD_UNIT),
    (S.REHANDLING, A.CONSULT): _m(S.REHANDLING, R.LEAD_UNIT),
    (S.ASSIGNED, A.WAIVE_CONSULTATION): _m(S.ASSIGNED, R.STAFF),
    (S.HANDLING, A.WAIVE_CONSULTATION): _m(S.HANDLING, R.STAFF),
    (S.REHANDLING, A.WAIVE_CONSULTATION): _m(S.REHANDLING, R.STAFF),
    (S.ASSIGNED, A.CO_OPINION): _m(S.ASSIGNED, R.CO_UNIT),
    (S.HANDLING, A.CO_OPINION): _m(S.HANDLING, R.CO_UNIT),
    (S.REHANDLING, A.CO_OPINION): _m(S.REHANDLING, R.CO_UNIT),
    (S.HANDLING, A.REQUEST_EXTENSION): _m(S.HANDLING, R.LEAD_UNIT),
    (S.HANDLING, A.DECIDE_EXTENSION): _m(S.HANDLING, R.STAFF),
    (S.HANDLING, A.REPLY): _m(S.REPLIED, R.LEAD_UNIT),
    (S.REHANDLING, A.REPLY): _m(S.REPLIED, R.LEAD_UNIT),
    # Review of the reply by staff.
    (S.REPLIED, A.ACCEPT_REPLY): _m(S.AWAITING_EVALUATION, R.STAFF),
    (S.REPLIED, A.SEND_BACK_REPLY): _m(S.HANDLING, R.STAFF),
    # Evaluation by the deputies; the system concludes once all have answered or time is up.
    (S.AWAITING_EVALUATION, A.EVALUATE): _m(S.AWAITING_EVALUATION, R.AUTHOR, R.COSIGNER),
    (S.AWAITING_EVALUATION, A.NO_EVALUATION): _m(S.AWAITING_EVALUATION, R.SYSTEM),
    (S.AWAITING_EVALUATION, A.REHANDLE): _m(S.REHANDLING, R.SYSTEM),
    (S.AWAITING_EVALUATION, A.CLOSE): _m(S.CLOSED, R.SYSTEM),
    # Supervision happens alongside any open state, and on closed B/C items being followed up.
    **{(s, A.MARK_KEY): _m(s, R.SUPERVISOR, R.STAFF) for s in OPEN_STATES},
    **{(s, A.SUPERVISE): _m(s, R.SUPERVISOR, R.STAFF) for s in (*OPEN_STATES, S.CLOSED)},
    **{(s, A.REMIND): _m(s, R.SUPERVISOR, R.STAFF, R.SYSTEM) for s in OPEN_STATES},
    # A forward up (转请市级办理) leaves the suggestion where it is; the service checks it is a township's.
    **{(s, A.FORWARD_UP): _m(s, R.STAFF) for s in FORWARDABLE_STATES},
}


COURSE = Course(TRANSITIONS, noun="建议", states=S, actions=A, parts=R)
allowed_actions = COURSE.allowed_actions
transition = COURSE.transition

__all__ = ["COURSE", "TRANSITIONS", "IllegalTransition", "allowed_actions", "transition"]
