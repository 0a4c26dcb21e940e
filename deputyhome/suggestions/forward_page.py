"""The 转请市级办理 section of a suggestion's page: the forwards the user sees, and the forms they may use.

Shared by the suggestion's page (`views.suggestion_detail`) and the forward's actions (`forward_views`),
which draw that page again with a bound form after bad input.
"""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.utils import timezone

from . import forms, selectors, services
from .models import Suggestion


def forward_context(user: Any, s: Suggestion, bound: dict[str, BaseForm] | None = None) -> dict[str, Any]:
    """`forwards` (each with `overdue`, `answer_form`, `can_withdraw`) and the township's `forward_form`."""
    bound = bound or {}
    today = timezone.localdate()
    forwards = selectors.forwards_of(user=user, suggestion=s)
    for f in forwards:
        f.overdue = f.is_overdue(today)
        f.answer_form = None
        if services.may_answer(user, f):
            f.answer_form = bound.get("answer") or forms.ForwardAnswerForm(prefix="answer")
        f.suggestion = s  # the page's suggestion, already loaded: no query per forward
        f.can_withdraw = services.may_withdraw_forward(user, f)
    forward_form = None
    if services.may_forward(user, s):
        forward_form = bound.get("forward") or forms.ForwardForm(prefix="forward", suggestion=s)
    return {"forwards": forwards, "forward_form": forward_form}
