from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel
from deputyhome.reports import selectors as report_selectors

from .todo import todo_for

LEVEL_LABELS = {
    CongressLevel.PROVINCE: "省级代表",
    CongressLevel.PREFECTURE: "州级代表",
    CongressLevel.CITY: "市级代表",
    CongressLevel.TOWNSHIP: "乡级代表",
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The home page: the overview figures of the user's scope, or a pointer for roles without business data."""
    user = request.user
    scope = user.scope_kind
    today = timezone.localdate()
    context: dict = {
        "scope": scope,
        "scope_label": ScopeKind(scope).label,
        "has_figures": False,
        "todo": todo_for(user, today),
    }
    # System and audit admins see no business data (separation of duties); a unit clerk's
    # business is the suggestions assigned to their unit, not the deputies' organisation.
    # A deputy's own scope is themself: the organisation's figures say nothing to them, their to-do does.
    if scope not in (ScopeKind.NONE, ScopeKind.UNIT, ScopeKind.SELF):
        stats = report_selectors.overview(user=user)
        context.update(
            has_figures=True,
            stats=stats,
            levels=[(label, stats["deputies_by_level"][level]) for level, label in LEVEL_LABELS.items()],
            show_townships=scope in (ScopeKind.CITY, ScopeKind.REGION) or len(stats["by_township"]) > 1,
        )
    # The year's figures and charts (records:year_overview) load after the page, through htmx,
    # so that the overview above stays one fast page.
    context["year"] = today.year
    return render(request, "core/dashboard.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Chinese page for a form without a valid CSRF token; the refusal is audited by the middleware."""
    request.csrf_refused = True  # type: ignore[attr-defined]
    response = render(request, "403_csrf.html", status=403)
    response.refusal_reason = reason  # type: ignore[attr-defined]
    return response
