"""Pages for problems found by deputies and the referrals of the fast lane."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from deputyhome.core.converters import valid_id
from deputyhome.core.crud import (
    Column,
    RegisterView,
    add_service_errors,
    date_column,
    get_detail_in_scope,
    township_column,
)
from deputyhome.core.pages import ModelPages

from .. import filters, forms, permissions, selectors, services
from ..choices import ProblemStatus, ReferralStatus
from ..models import Problem, Referral
from .base import FormPage, _business, _township_name

# Problems ----------------------------------------------------------------------------------------------


def _problem_outcome(p: Problem) -> str:
    if p.status == ProblemStatus.FORWARDED and p.referral_id:
        state = "已答复" if p.referral.status == ReferralStatus.REPLIED else "待答复"
        return f"转交{p.referral.unit.name}（{state}）"
    if p.status == ProblemStatus.SUGGESTION and p.suggestion_id:
        return f"形成建议（{p.suggestion.get_state_display()}）"
    return p.get_status_display()


class ProblemFormPage(FormPage):
    """A problem, from an activity's page (?activity=pk) or on its own."""

    def form_kwargs(self) -> dict[str, Any]:
        pk = self.request.GET.get("activity")
        if valid_id(pk):
            return {"activity": selectors.activity_list(user=self.request.user).filter(pk=pk).first()}
        return {}

    def save(self, form, instance):
        if instance is None:
            return services.problem_create(data=form.problem_data(), actor=self.request.user)
        return services.problem_update(problem=instance, data=form.problem_data(), actor=self.request.user)


def _get_problem(request: HttpRequest, pk: int) -> Problem:
    _business(request)
    return get_detail_in_scope(selectors.problem_detail, request.user, Problem, pk)


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _get_problem(request, pk)
    is_open = problem.status == ProblemStatus.OPEN
    may_handle = is_open and permissions.may_handle_problems(request.user)
    own = bool(request.user.deputy_id) and request.user.deputy_id == problem.deputy_id
    suggestion_visible = False
    if problem.suggestion_id:
        from deputyhome.suggestions.selectors import suggestion_list

        suggestion_visible = suggestion_list(user=request.user).filter(pk=problem.suggestion_id).exists()
    return render(
        request,
        "activities/problem_detail.html",
        {
            "title": "发现的问题",
            "object": problem,
            "township": _township_name(problem.region),
            "may_handle": may_handle,
            "may_propose": is_open and (may_handle or own),
            "can_edit": is_open and permissions.may_record_activities(request.user),
            "suggestion_visible": suggestion_visible,
            "referral_visible": bool(
                problem.referral_id
                and selectors.referral_list(user=request.user).filter(pk=problem.referral_id).exists()
            ),
        },
    )


problems = ModelPages(
    "activities",
    "problem",
    selector=selectors.problem_register,
    viewers=permissions.sees_business,
    editors=permissions.may_record_activities,
    register={
        "title": "发现问题",
        "filterset_class": filters.ProblemFilter,
        "default_sort": "-date",
        "extra_links": [
            (reverse_lazy("activities:referral_list"), "转交事项"),
            (reverse_lazy("activities:activity_list"), "代表活动"),
        ],
        "columns": [
            date_column("发现日期", "date"),
            Column("问题", lambda p: str(p), "text", link=lambda p: p.get_absolute_url()),
            Column("地点", lambda p: p.place, "place"),
            township_column(lambda p: _township_name(p.region), "region__code"),
            Column("提出代表", lambda p: p.deputy.name if p.deputy_id else ""),
            Column("分类", lambda p: p.category.name if p.category_id else ""),
            Column("处理情况", _problem_outcome, "status"),
        ],
    },
    detail=problem_detail,
    form_class=forms.ProblemForm,
    form_title="登记发现的问题",
    form_view=ProblemFormPage,
    delete=services.problem_delete,
)


ACTIONS: dict[str, dict[str, Any]] = {
    "close": {
        "label": "当场解决",
        "form": forms.CloseForm,
        "intro": "登记该问题已在活动现场解决。办结后不能再转交或形成建议。",
    },
    "forward": {
        "label": "转交承办单位（快速办理）",
        "form": forms.ForwardForm,
        "intro": "小事项直接转交承办单位办理，单位在“转交事项”中答复。",
    },
    "to_suggestion": {
        "label": "形成代表建议",
        "form": None,
        "intro": "以提出代表为领衔代表生成建议草稿，由您代为录入；草稿完善后按建议办理流程提交、审查、交办。",
    },
}


@login_required
def problem_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm on GET, act on POST: close on the spot, forward to a unit, or turn into a suggestion."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    problem = _get_problem(request, pk)
    own = bool(request.user.deputy_id) and request.user.deputy_id == problem.deputy_id
    if not (permissions.may_handle_problems(request.user) or (action == "to_suggestion" and own)):
        raise PermissionDenied("只有市、乡两级人大工作人员可以处理问题。")
    form_class = spec["form"]
    kwargs = {"user": request.user} if form_class is forms.ForwardForm else {}
    form = form_class(request.POST or None, **kwargs) if form_class else None
    if problem.status != ProblemStatus.OPEN:
        messages.error(request, f"该问题已处理（{problem.get_status_display()}）。")
        return HttpResponseRedirect(problem.get_absolute_url())
    if request.method == "POST" and (form is None or form.is_valid()):
        user = request.user
        try:
            if action == "close":
                services.problem_close(problem=problem, note=form.cleaned_data["note"], actor=user)
                messages.success(request, "已登记为当场解决。")
                return HttpResponseRedirect(problem.get_absolute_url())
            if action == "forward":
                referral = services.problem_forward(
                    problem=problem, unit=form.cleaned_data["unit"], due_on=form.cleaned_data["due_on"], actor=user
                )
                messages.success(request, f"已转交{referral.unit.name}，办理期限 {referral.due_on:%Y-%m-%d}。")
                return HttpResponseRedirect(problem.get_absolute_url())
            suggestion = services.problem_to_suggestion(problem=problem, actor=user)
            messages.success(request, "已生成建议草稿，请完善“意见建议”后提交。")
            return HttpResponseRedirect(suggestion.get_absolute_url())
        except ValidationError as exc:
            if form is None:
                messages.error(request, "；".join(exc.messages))
            else:
                add_service_errors(form, exc)
    return render(
        request,
        "activities/problem_action.html",
        {"title": spec["label"], "object": problem, "form": form, "intro": spec["intro"], "action": action},
        status=400 if request.method == "POST" else 200,
    )


# Referrals ---------------------------------------------------------------------------------------------


class ReferralList(RegisterView):
    title = "转交事项"
    allowed = staticmethod(permissions.may_see_referrals)
    selector = staticmethod(selectors.referral_list)
    filterset_class = filters.ReferralFilter
    default_sort = "-created_at"
    create_url = None
    columns = [
        Column("转交日期", lambda r: f"{timezone.localdate(r.created_at):%Y-%m-%d}", "created_at"),
        Column("事项", lambda r: r.title, "title", link=lambda r: r.get_absolute_url()),
        Column("承办单位", lambda r: r.unit.name, "unit__name"),
        date_column("办理期限", "due_on"),
        Column("状态", lambda r: _referral_state(r), "status"),
        date_column("答复日期", "replied_on"),
    ]

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        if permissions.is_unit_clerk(self.request.user):
            return {"title": f"转交事项收件箱 · {self.request.user.unit}"}
        return {}


def _referral_state(r: Referral) -> str:
    if r.status == ReferralStatus.OPEN and r.due_on and r.due_on < selectors.today():
        return "已逾期未答复"
    return r.get_status_display()


def _get_referral(request: HttpRequest, pk: int) -> Referral:
    if not permissions.may_see_referrals(request.user):
        raise PermissionDenied("您的角色无权访问此页面。")
    return get_detail_in_scope(selectors.referral_detail, request.user, Referral, pk)


def _referral_page(request: HttpRequest, referral: Referral, form=None, status: int = 200) -> HttpResponse:
    may_reply = (
        permissions.is_unit_clerk(request.user)
        and request.user.unit_id == referral.unit_id
        and referral.status == ReferralStatus.OPEN
    )
    problem = getattr(referral, "problem", None)
    problem_visible = bool(problem and selectors.problem_list(user=request.user).filter(pk=problem.pk).exists())
    return render(
        request,
        "activities/referral_detail.html",
        {
            "title": referral.title,
            "object": referral,
            "state": _referral_state(referral),
            "form": form or (forms.ReplyForm() if may_reply else None),
            "may_reply": may_reply,
            "problem": problem if problem_visible else None,
        },
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _referral_page(request, _get_referral(request, pk))


@login_required
@require_POST
def referral_reply(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral(request, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.referral_reply(referral=referral, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已答复。")
            return HttpResponseRedirect(referral.get_absolute_url())
    return _referral_page(request, referral, form=form, status=400)
