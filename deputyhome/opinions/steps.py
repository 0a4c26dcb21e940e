"""Triage of a voter opinion from its page: each action with its form, service and message.

Offered by the opinion's status; a POST goes to the service whatever the page showed
(`enforce=False`), so that a status changed in the meantime is explained in the form.
"""

from __future__ import annotations

from typing import Any

from deputyhome.accounts.choices import Role
from deputyhome.core.steps import Step, StepTable

from . import forms, selectors, services
from .choices import OpinionStatus
from .models import Opinion


def _open(o: Opinion, user: Any = None) -> bool:
    return o.status in services.OPEN_STATES


def _may_propose(o: Opinion, user: Any) -> bool:
    # A registered problem becomes a suggestion through the activities app, which only officers may use.
    officer = user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)
    return _open(o) or (o.status == OpinionStatus.PROBLEM and officer)


def _user(o: Opinion, user: Any) -> dict[str, Any]:
    return {"user": user}


def _user_and_opinion(o: Opinion, user: Any) -> dict[str, Any]:
    return {"user": user, "opinion": o}


TRIAGE = StepTable(
    steps={
        "reply": Step(
            lambda o: "修改答复" if o.reply else "答复群众",
            forms.ReplyForm,
            lambda o, u, d: services.opinion_reply(opinion=o, text=d["text"], actor=u),
            message="已答复，群众凭查询码可以看到答复。",
            shown=lambda o, u: o.status != OpinionStatus.MERGED,
            initial=lambda o: {"text": o.reply},
        ),
        "forward": Step(
            "转交承办单位",
            forms.ForwardForm,
            lambda o, u, d: services.opinion_forward(
                opinion=o, unit=d["unit"], title=d["title"], content=d["content"], due_on=d["due_on"], actor=u
            ),
            message="已转交承办单位。单位答复后，群众凭查询码可以看到。",
            shown=_open,
            form_kwargs=_user,
        ),
        "to_problem": Step(
            "转为发现问题",
            forms.ProblemForm,
            lambda o, u, d: services.opinion_to_problem(opinion=o, data=d, actor=u),
            message="已转为发现问题。",
            shown=_open,
            form_kwargs=_user_and_opinion,
        ),
        "to_suggestion": Step(
            "形成代表建议",
            forms.SuggestionForm,
            lambda o, u, d: services.opinion_to_suggestion(opinion=o, deputy=d["deputy"], title=d["title"], actor=u),
            message="已形成代表建议草稿，请领衔代表完善后提交。",
            shown=_may_propose,
            form_kwargs=_user_and_opinion,
        ),
        "merge": Step(
            "合并到同类意见",
            forms.MergeForm,
            lambda o, u, d: services.opinion_merge(opinion=o, into=d["into"], actor=u),
            message="已合并。",
            shown=lambda o, u: _open(o) and not o.duplicates.exists(),
            form_kwargs=_user_and_opinion,
            danger=True,
        ),
    },
    permission=selectors.may_triage,
    refused="您的角色只能查看群众意见，不能处理。",
    enforce=False,
    prefixed=False,
)
