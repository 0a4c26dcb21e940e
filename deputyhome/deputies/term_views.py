"""The 换届 page of a congress: the new term's details, what the change will do, then the change itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from deputyhome.core.crud import get_in_scope
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.models import Congress

from .forms import TermChangeForm
from .services.term_change import next_name, term_change, term_change_plan
from .services.term_undo import term_change_of, term_change_undo, term_undo_plan


def term_change_link(user, congress: Congress) -> str:
    """The congress page's link to its 换届 page, for those who keep the congresses, while it is the current one."""
    if not (congress.is_current and org_selectors.may_change_term(user, congress)):
        return ""
    return reverse("deputies:term_change", args=[congress.pk])


def term_undo_link(user, congress: Congress) -> str:
    """The congress page's link to 撤销换届, for the same users, while it is the current one by a term change made
    here (one query)."""
    if not (congress.is_current and org_selectors.may_change_term(user, congress)) or term_change_of(congress) is None:
        return ""
    return reverse("deputies:term_undo", args=[congress.pk])


def _checked(data: dict) -> str:
    """The values a preview was shown for: the change is made only for the values the user saw the preview of."""
    return f"{data['term']}|{(data.get('name') or '').strip()}|{data['start_date']:%Y-%m-%d}"


MAY_NOT = "换届由市人大常委会代工委工作人员办理；乡镇人大换届也可由本乡镇人大工作人员办理。"


def _congress(request: HttpRequest, pk: int) -> Congress:
    congress = get_in_scope(org_selectors.congress_list, request.user, pk)
    if not org_selectors.may_change_term(request.user, congress):
        raise PermissionDenied(MAY_NOT)
    return congress


@login_required
def term_change_page(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    if not congress.is_current:
        messages.info(request, f"{congress.name}已届满，不是本届人民代表大会。")
        return HttpResponseRedirect(congress.get_absolute_url())
    term = congress.term + 1
    form = TermChangeForm(request.POST or None, initial={"term": term, "name": next_name(congress, term)})
    plan, checked = None, ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "recheck" not in request.POST and request.POST.get("checked") == _checked(data):
                new = term_change(congress=congress, data=data, actor=request.user)
                messages.success(
                    request,
                    f"已换届：{congress.name}届满，{new.name}为本届。请导入新一届代表名册，并重新编入代表小组。",
                )
                return HttpResponseRedirect(new.get_absolute_url())
            plan, checked = term_change_plan(congress=congress, data=data), _checked(data)
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict of errors by field, or errors of the whole form
    context = {"congress": congress, "form": form, "plan": plan, "checked": checked, "title": f"换届：{congress.name}"}
    return render(request, "deputies/term_change.html", context, status=400 if form.errors else 200)


@login_required
def term_undo_page(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销换届: what undoing the term change that made this congress current puts back, then (POST) the undo."""
    congress = _congress(request, pk)
    plan, error = None, ""
    try:
        if request.method != "POST":
            plan = term_undo_plan(congress=congress)
        else:  # the undo checks its plan again, in its transaction: read once
            plan = term_change_undo(congress=congress, actor=request.user)
            messages.success(
                request,
                f"已撤销换届：{plan.old.name}恢复为本届，{len(plan.mandates)}个代表资格和{len(plan.memberships)}名代表的"
                f"小组成员关系已恢复；{congress.name}不再是本届。换届时请系统管理员复核离任代表账号的提醒已作废，其间停用的账号已告知系统管理员恢复。",
            )
            return HttpResponseRedirect(plan.old.get_absolute_url())
    except ValidationError as exc:
        error = "；".join(exc.messages)
    context = {"congress": congress, "plan": plan, "error": error, "title": f"撤销换届：{congress.name}"}
    # Nothing to undo is said on the page; a confirmation refused is a bad request.
    return render(
        request, "deputies/term_undo.html", context, status=400 if error and request.method == "POST" else 200
    )
