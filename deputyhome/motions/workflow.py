"""The course of a motion as one table: (state, action) → (the states it may lead to, who may take it).

Plain Python, no database, like the suggestion course (`suggestions/workflow.py`). The services ask
`transition(state, action, parts)` before they write; an illegal move raises `IllegalTransition` with a
message a user can read. The check and the decision lead to one of several states: the service picks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import MotionAction as A
from .choices import MotionPart as P
from .choices import MotionState as S


@dataclass(frozen=True)
class Move:
    to: frozenset[str]
    parts: frozenset[str]


def _m(to: Iterable[str], *parts: str) -> Move:
    return Move(frozenset(to), frozenset(parts))


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


class IllegalTransition(Exception):
    """An action that the state or the actor's part does not allow; the message is for the user."""


def allowed_actions(state: str, parts: Iterable[str]) -> list[str]:
    """The actions these parts may take in this state, in table order."""
    parts = set(parts)
    return [action for (s, action), move in TRANSITIONS.items() if s == state and move.parts & parts]


def transition(state: str, action: str, parts: Iterable[str], to: str | None = None) -> str:
    """The next state (`to` where the action may lead to several), or IllegalTransition saying why not."""
    move = TRANSITIONS.get((state, action))
    state_label, action_label = S(state).label, A(action).label
    if move is None:
        raise IllegalTransition(f"议案处于“{state_label}”状态，不能执行“{action_label}”。")
    if not move.parts & set(parts):
        who = "、".join(str(P(p).label) for p in sorted(move.parts))
        raise IllegalTransition(f"“{action_label}”只能由{who}执行。")
    if to is None:
        if len(move.to) != 1:
            raise IllegalTransition(f"“{action_label}”须说明结果。")
        return next(iter(move.to))
    if to not in move.to:
        raise IllegalTransition(f"“{action_label}”不能使议案成为“{S(to).label}”。")
    return to
