"""The similar-opinions fragment on an opinion's page (htmx, loaded by `opinions/_similar_hook.html`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from deputyhome.core.crud import get_in_scope

from . import selectors
from .similar import similar_open
from .steps import TRIAGE
from .views import require_see


def _may_merge_here(opinion, user) -> bool:
    """Whether the triage step 合并到同类意见 is offered to `user` on `opinion` now."""
    if TRIAGE.permission is not None and not TRIAGE.permission(user):
        return False
    return TRIAGE.offered(opinion, user, "merge", TRIAGE.get("merge"))


@login_required
@require_GET
def similar_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The open opinions of this opinion's township most like it; each mergeable one has a merge button."""
    require_see(request.user)
    opinion = get_in_scope(selectors.opinion_list, request.user, pk)
    items = similar_open(user=request.user, opinion=opinion)
    context = {"object": opinion, "items": items, "may_merge": _may_merge_here(opinion, request.user)}
    return render(request, "opinions/_similar.html", context)
