"""A course as one table: (state, action) → the states it may lead to and the parts that may take it.

Plain Python, no database. An app declares its table and a `Course` over it (suggestions/workflow.py,
motions/workflow.py); its services ask `transition(state, action, parts)` before they write, and an illegal
move raises `IllegalTransition` with a message a user can read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class IllegalTransition(Exception):
    """An action that the state or the actor's part does not allow; the message is for the user."""


@dataclass(frozen=True)
class Move:
    to: frozenset[str]
    parts: frozenset[str]


def move(to: str | Iterable[str], *parts: str) -> Move:
    """A move to one state, or to one of several (the service picks it)."""
    return Move(frozenset([to] if isinstance(to, str) else to), frozenset(parts))


@dataclass(frozen=True)
class Course:
    table: Mapping[tuple[str, str], Move]
    noun: str  # 建议, 议案: what the messages call the object
    states: Any  # the TextChoices of the states, actions and parts, for their labels
    actions: Any
    parts: Any

    def allowed_actions(self, state: str, parts: Iterable[str]) -> list[str]:
        """The actions these parts may take in this state, in table order."""
        parts = set(parts)
        return [action for (s, action), m in self.table.items() if s == state and m.parts & parts]

    def transition(self, state: str, action: str, parts: Iterable[str], to: str | None = None) -> str:
        """The next state (`to` where the action may lead to several), or IllegalTransition saying why not."""
        m = self.table.get((state, action))
        state_label, action_label = self.states(state).label, self.actions(action).label
        if m is None:
            raise IllegalTransition(f"{self.noun}处于“{state_label}”状态，不能执行“{action_label}”。")
        if not m.parts & set(parts):
            who = "、".join(str(self.parts(p).label) for p in sorted(m.parts))
            raise IllegalTransition(f"“{action_label}”只能由{who}执行。")
        if to is None:
            if len(m.to) != 1:
                raise IllegalTransition(f"“{action_label}”须说明结果。")
            return next(iter(m.to))
        if to not in m.to:
            raise IllegalTransition(f"“{action_label}”不能使{self.noun}成为“{self.states(to).label}”。")
        return to
