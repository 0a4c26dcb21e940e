"""The actions on forwards to city units (转请市级办理): the township forwards, the city unit answers, the
township withdraws. Each is permission → form → one service → back to the suggestion's page; bad input
draws that page again (400) with the form and its message, and writes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from deputyhome.accounts import scopes
from deputyhome.core.crud import add_service_errors, get_in_scope
from deputyhome.core.filters import typed_text

from . import forms, selectors, services, views
from .models import Forward, Suggestion
from .workflow import IllegalTransition


def _forward(request: HttpRequest, pk: int) -> tuple[Forward, Suggestion, HttpResponseRedirect]:
    """The forward if the user sees it (its suggestion in their scope; a unit's clerk their unit's), else 404; its
    suggestion, and the way back to the suggestion's page."""
    f = get_in_scope(selectors.forward_list, request.user, pk)
    s = views.get_suggestion(request, f.suggestion_id)
    return f, s, HttpResponseRedirect(s.get_absolute_url())


def _again(
    request: HttpRequest, s: Suggestion, key: str, form: BaseForm, exc: ValidationError | None = None
) -> HttpResponse:
    """The suggestion's page again (400) with the form and its errors (and the service's refusal, if it refused)."""
    if exc is not None:
        add_service_errors(form, exc)
    return views.suggestion_detail(request, s.pk, bound={key: form}, status=400)


@login_required
@require_POST
def forward_up(request: HttpRequest, pk: int) -> HttpResponse:
    s = views.get_suggestion(request, pk)
    back = HttpResponseRedirect(s.get_absolute_url())
    if not services.is_township_work(s):
        messages.error(request, services.NOT_TOWNSHIP)
        return back
    if not scopes.is_congress_staff(request.user, s.congress):
        raise PermissionDenied("只有受理这件建议的乡镇人大工作人员可以转请市级办理。")
    if not services.may_forward(request.user, s):
        messages.error(request, f"建议处于“{s.get_state_display()}”状态，不能转请市级办理。")
        return back
    form = forms.ForwardForm(request.POST, prefix="forward", suggestion=s)
    if not form.is_valid():
        return _again(request, s, "forward", form)
    data = form.cleaned_data
    try:
        services.suggestion_forward_up(
            suggestion=s, unit=data["unit"], due_on=data["due_on"], note=data["note"], actor=request.user
        )
    except IllegalTransition as exc:
        messages.error(request, str(exc))
        return back
    except ValidationError as exc:
        return _again(request, s, "forward", form, exc)
    messages.success(request, f"已转请{data['unit']}办理，答复期限{data['due_on']:%Y-%m-%d}。")
    return back


@login_required
@require_POST
def forward_answer(request: HttpRequest, pk: int) -> HttpResponse:
    f, s, back = _forward(request, pk)
    if request.user.unit_id != f.unit_id:
        raise PermissionDenied("只有被转请办理的市级单位可以答复。")
    if not services.may_answer(request.user, f):
        messages.error(request, f"这项转办{f.get_status_display()}，不能再答复。")
        return back
    form = forms.ForwardAnswerForm(request.POST, request.FILES, prefix="answer")
    if not form.is_valid():
        return _again(request, s, "answer", form)
    data = form.cleaned_data
    try:
        services.forward_answer(forward=f, answer=data["answer"], files=data["files"], actor=request.user)
    except ValidationError as exc:
        return _again(request, s, "answer", form, exc)
    messages.success(request, "已答复转办事项。")
    return back


@login_required
@require_POST
def forward_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    f, s, back = _forward(request, pk)
    try:
        services.forward_withdraw(forward=f, actor=request.user, note=typed_text(request.POST.get("note"), 500))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤回转请{f.unit}办理。")
    return back
