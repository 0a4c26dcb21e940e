import re
from functools import reduce
from operator import or_

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import registry
from .filters import typed_text
from .todo import todo_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The home page: the user's 待办, and the overview figures of their scope that the reports app
    registers (`core.registry.register_home`), or a pointer for roles without business data."""
    user = request.user
    scope = user.scope_kind
    today = timezone.localdate()
    context: dict = {
        "scope": scope,
        "scope_label": user.scope_label,
        "has_figures": False,
        "todo": todo_for(user, today),
    }
    context.update(registry.home_context(user, today, request.GET))
    # The year's figures and charts (reports:year_overview) load after the page, through htmx,
    # so that the overview above stays one fast page.
    context["year"] = today.year
    return render(request, "core/dashboard.html", context)


CHOICE_RESULTS = 20  # matches shown at once; typing more narrows them


@login_required
def choice_search(request: HttpRequest, kind: str) -> HttpResponse:
    """The matches of a search-as-you-type field (htmx, `core.widgets.SearchSelect`): among the user's own
    choices of `kind` (the registered source applies the scope), those whose fields contain what was typed
    (`<field>_q`), as boxes named `field`."""
    try:
        source = registry.choice_source(kind)
    except KeyError:
        raise Http404("没有这类选项。") from None
    field = request.GET.get("field", "")
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", field):  # a prefixed form's field: forward-unit
        raise Http404("没有这个字段。")
    q = typed_text(request.GET.get(f"{field}_q"), 50)
    found = source.queryset(user=request.user)
    if q:
        found = found.filter(reduce(or_, (Q(**{f"{path}__icontains": q}) for path in source.search)))
    results = [(obj.pk, source.label(obj)) for obj in found[: CHOICE_RESULTS + 1]]
    context = {"name": field, "results": results[:CHOICE_RESULTS], "more": len(results) > CHOICE_RESULTS, "q": q}
    return render(request, "core/_choice_results.html", context)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A login-required page that does nothing: `make bench` times it as the framework's floor (the same
    middleware, session and user look-up as every page), and the other pages as multiples of it."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Chinese page for a form without a valid CSRF token; the refusal is audited by the middleware."""
    request.csrf_refused = True  # type: ignore[attr-defined]
    response = render(request, "403_csrf.html", status=403)
    response.refusal_reason = reason  # type: ignore[attr-defined]
    return response
