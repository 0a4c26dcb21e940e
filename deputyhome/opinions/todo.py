"""The home page's tile of citizens' opinions: those in the user's scope still waiting to be handled."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from deputyhome.core.todo import Tile

from . import selectors
from .choices import OpinionStatus


def tiles(user, today: datetime.date) -> list[Tile]:
    """For those who handle opinions (回复、转交、合并…); readers such as leaders get no tile."""
    if not (selectors.may_see_opinions(user) and selectors.may_triage(user)):
        return []
    waiting = selectors.opinion_list(user=user).filter(status=OpinionStatus.NEW)
    url = f"{reverse('opinions:list')}?{urlencode({'status': OpinionStatus.NEW})}"
    return [Tile("群众意见待处理", waiting.count(), url, urgent=True)]
