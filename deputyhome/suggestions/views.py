"""Pages of the suggestion workflow: the deputy's, the staff's, the unit's, the supervisor's, the public's."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.core import exports
from deputyhome.core.crud import Column, RegisterView
from deputyhome.deputies import selectors as deputy_selectors
from deputyhome.deputies.models import Deputy
from deputyhome.organisation import selectors as org_selectors
from deputyhome.organisation.filters import ScopedFilterSet

from . import forms, queues, selectors, services
from .choices import Action, ActorRole, AssignmentStatus, ExtensionStatus, State, UnitRole
from .models import Attachment, Category, Suggestion
from .workflow import IllegalTransition


def may_see_suggestions(user) -> bool:
    return user.scope_kind != ScopeKind.NONE


def may_draft(user) -> bool:
    return bool(user.deputy_id) or user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)


def _lead(s: Suggestion) -> str:
    leads = getattr(s, "lead_assignments", None)
    return leads[0].unit.name if leads else ""


def _due(s: Suggestion) -> str:
    if not s.due_on:
        return ""
    today = timezone.localdate()
    late = s.state in (State.ASSIGNED, State.HANDLING, State.REHANDLING) and s.due_on < today
    return f"{s.due_on:%Y-%m-%d}" + ("（已逾期）" if late else "")


# Lists --------------------------------------------------------------------------------------------------


class SuggestionFilter(ScopedFilterSet):
    search_fields = ("title", "author__name", "proposals")
    year = django_filters.NumberFilter(label="年度")
    state = django_filters.ChoiceFilter(label="状态", choices=State.choices)
    category = django_filters.ModelChoiceFilter(label="分类", queryset=Category.objects.all(), empty_label="全部")
    unit = django_filters.ModelChoiceFilter(label="主办单位", queryset=None, empty_label="全部", method="filter_unit")
    region = django_filters.ModelChoiceFilter(
        label="乡镇（街道）", queryset=None, empty_label="全部", method="filter_region"
    )
    received = django_filters.ChoiceFilter(
        label="提出时间", choices=[("session", "会议期间"), ("recess", "闭会期间")], method="filter_received"
    )
    is_key = django_filters.BooleanFilter(label="重点督办")
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = org_selectors.unit_list(user=self.user)
        self.filters["region"].queryset = org_selectors.townships(user=self.user)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        digits = value.strip("第号")
        cond = Q(title__icontains=value) | Q(author__name__icontains=value)
        if digits.isdigit():
            cond |= Q(number=int(digits))
        return qs.filter(cond) if value else qs

    def filter_unit(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            assignments__unit=value, assignments__role=UnitRole.LEAD, assignments__status=AssignmentStatus.ACTIVE
        )

    def filter_region(self, qs, name, value):
        return qs.filter(region__code__startswith=value.code) if value else qs

    def filter_received(self, qs, name, value):
        if value == "session":
            return qs.filter(session__isnull=False)
        if value == "recess":
            return qs.filter(session__isnull=True)
        return qs

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        cond = selectors.overdue_q(timezone.localdate())
        return qs.filter(cond) if value else qs.exclude(cond)


COLUMNS = [
    Column("编号", lambda s: s.number_label, "number"),
    Column("标题", lambda s: s.title, "title", link=lambda s: s.get_absolute_url()),
    Column("领衔代表", lambda s: s.author.name, "author__name"),
    Column("提出时间", lambda s: "会议期间" if s.session_id else "闭会期间"),
    Column("分类", lambda s: s.category.name if s.category else "", "category__order"),
    Column("主办单位", _lead),
    Column("状态", lambda s: s.get_state_display() + ("（第2轮）" if s.round > 1 else ""), "state"),
    Column("办理期限", _due, "due_on"),
    Column("重点督办", lambda s: "★" if s.is_key else "", "is_key"),
]


class SuggestionList(RegisterView):
    title = "代表建议"
    allowed = staticmethod(may_see_suggestions)
    selector = staticmethod(selectors.suggestion_list)
    filterset_class = SuggestionFilter
    columns = COLUMNS
    default_sort = "-number"
    create_url = "suggestions:create"
    create_allowed = staticmethod(may_draft)
    export_url = "suggestions:register_export"


class MySuggestions(SuggestionList):
    title = "我的建议"
    allowed = staticmethod(lambda user: bool(user.deputy_id))
    export_url = None
    default_sort = "-created_at"
    columns = [c for c in COLUMNS if c.label not in ("领衔代表", "重点督办")] + [
        Column("我的角色", lambda s: "领衔" if s.author_id == s._me else "联名")
    ]

    def get_queryset(self):
        me = self.request.user.deputy_id
        qs = super().get_queryset().filter(Q(author_id=me) | Q(cosigners__deputy_id=me)).distinct()
        return qs.extra(select={"_me": "%s"}, select_params=[me])  # noqa: S610 - a bound parameter, not SQL text


# Creating and editing drafts ----------------------------------------------------------------------------


def _suggestion_form(request: HttpRequest, data=None, files=None, initial=None, ask_author: bool = False):
    user = request.user
    deputies = deputy_selectors.deputy_list(user=user) if ask_author else Deputy.objects.none()
    cosigner_choices = Deputy.objects.filter(mandates__status="active").distinct().order_by("region__code", "name")
    return forms.SuggestionForm(
        data=data,
        files=files,
        initial=initial,
        authors=deputies,
        cosigner_choices=cosigner_choices.only("id", "name"),
        sessions=org_selectors.session_list(user=user).filter(congress__is_current=True).order_by("-start_date"),
        ask_author=ask_author,
    )


def _content(form) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in ("title", "situation", "reasons", "proposals", "session")}


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_draft(user):
        raise PermissionDenied("您的角色不能起草代表建议。")
    ask_author = user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)
    form = _suggestion_form(request, request.POST or None, request.FILES or None, ask_author=ask_author)
    if request.method == "POST" and form.is_valid():
        author = form.cleaned_data["author"] if ask_author else user.deputy
        try:
            s = services.suggestion_create(
                author=author,
                data=_content(form),
                actor=user,
                cosigners=form.cleaned_data["cosigners"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "草稿已保存。确认无误后请点击“提交”。")
            return HttpResponseRedirect(s.get_absolute_url())
    return render(
        request, "suggestions/form.html", {"form": form, "title": "起草代表建议"}, status=400 if form.errors else 200
    )


@login_required
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    s = _get(request, pk)
    if Action.EDIT not in services.allowed_actions(request.user, s):
        raise PermissionDenied("当前状态下您不能修改这件建议。")
    initial = {
        "title": s.title,
        "situation": s.situation,
        "reasons": s.reasons,
        "proposals": s.proposals,
        "session": s.session_id,
        "cosigners": [c.deputy_id for c in s.cosigners.all()],
    }
    form = _suggestion_form(request, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_update(
                suggestion=s,
                data=_content(form),
                actor=request.user,
                cosigners=form.cleaned_data["cosigners"],
                files=form.cleaned_data["files"],
            )
        except (ValidationError, IllegalTransition) as exc:
            form.add_error(None, str(exc) if isinstance(exc, IllegalTransition) else exc)
        else:
            messages.success(request, "已保存。")
            return HttpResponseRedirect(s.get_absolute_url())
    return render(
        request,
        "suggestions/form.html",
        {"form": form, "title": f"修改：{s.title}", "object": s},
        status=400 if form.errors else 200,
    )


# The detail page and its actions ------------------------------------------------------------------------


def _get(request: HttpRequest, pk: int) -> Suggestion:
    if not may_see_suggestions(request.user):
        raise Http404
    try:
        return selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist as exc:
        raise Http404("未找到这件建议，或不在您的范围内。") from exc


@dataclass(frozen=True)
class Step:
    label: str
    form: type[djforms.Form] | None
    run: Callable[[Suggestion, Any, dict[str, Any]], Any]
    shown: Callable[[Suggestion, Any], bool] = lambda s, u: True
    danger: bool = False


def _pending_extension(s: Suggestion):
    return next((e for e in s.extensions.all() if e.status == ExtensionStatus.PENDING), None)


def _my_assignment(s: Suggestion, user) -> Any:
    return next(
        (a for a in s.assignments.all() if a.unit_id == user.unit_id and a.status == AssignmentStatus.ACTIVE), None
    )


def _within_return_window(s: Suggestion, user) -> bool:
    a = _my_assignment(s, user)
    return a is not None and a.role == UnitRole.LEAD and (a.return_by is None or timezone.localdate() <= a.return_by)


STEPS: dict[str, Step] = {
    Action.SUBMIT: Step("提交", None, lambda s, u, d: services.suggestion_submit(suggestion=s, actor=u)),
    Action.CONFIRM_COSIGN: Step(
        "确认联名",
        None,
        lambda s, u, d: services.suggestion_confirm_cosign(suggestion=s, actor=u),
        shown=lambda s, u: any(c.deputy_id == u.deputy_id and c.confirmed_at is None for c in s.cosigners.all()),
    ),
    Action.WITHDRAW: Step(
        "撤回",
        forms.NoteForm,
        lambda s, u, d: services.suggestion_withdraw(suggestion=s, actor=u, note=d["note"]),
        danger=True,
    ),
    Action.REGISTER: Step(
        "审查通过并立案",
        forms.RegisterForm,
        lambda s, u, d: services.suggestion_register(suggestion=s, category=d["category"], actor=u),
    ),
    Action.RETURN: Step(
        "退回代表",
        forms.ReturnForm,
        lambda s, u, d: services.suggestion_return(suggestion=s, reason=d["reason"], note=d["note"], actor=u),
        danger=True,
    ),
    Action.ASSIGN: Step(
        "交办",
        forms.AssignForm,
        lambda s, u, d: services.suggestion_assign(
            suggestion=s,
            lead_unit=d["lead_unit"],
            co_units=d["co_units"],
            requirements=d["requirements"],
            is_complex=d["is_complex"],
            actor=u,
        ),
    ),
    Action.RECEIVE: Step("签收", None, lambda s, u, d: services.suggestion_receive(suggestion=s, actor=u)),
    Action.UNIT_RETURN: Step(
        "申请退回（交办有误）",
        forms.ReasonForm,
        lambda s, u, d: services.suggestion_unit_return(suggestion=s, reason=d["reason"], actor=u),
        shown=_within_return_window,
        danger=True,
    ),
    Action.CONSULT: Step(
        "记录沟通联系",
        forms.ConsultForm,
        lambda s, u, d: services.suggestion_consult(
            suggestion=s, date=d["date"], way=d["way"], notes=d["notes"], actor=u
        ),
    ),
    Action.WAIVE_CONSULTATION: Step(
        "免予面商",
        forms.NoteForm,
        lambda s, u, d: services.suggestion_waive_consultation(suggestion=s, note=d["note"], actor=u),
        shown=lambda s, u: not s.consultation_waived and not any(c.round == s.round for c in s.consultations.all()),
    ),
    Action.CO_OPINION: Step(
        "提交协办意见",
        forms.OpinionForm,
        lambda s, u, d: services.suggestion_co_opinion(suggestion=s, opinion=d["opinion"], actor=u),
        shown=lambda s, u: (a := _my_assignment(s, u)) is not None and not a.opinion_on,
    ),
    Action.REQUEST_EXTENSION: Step(
        "申请延期",
        forms.ExtensionForm,
        lambda s, u, d: services.suggestion_request_extension(
            suggestion=s, months=d["months"], reason=d["reason"], actor=u
        ),
        shown=lambda s, u: _pending_extension(s) is None,
    ),
    Action.DECIDE_EXTENSION: Step(
        "审批延期",
        forms.DecideExtensionForm,
        lambda s, u, d: services.suggestion_decide_extension(
            extension=_pending_extension(s), approve=d["approve"], note=d["note"], actor=u
        ),
        shown=lambda s, u: _pending_extension(s) is not None,
    ),
    Action.REPLY: Step(
        "答复",
        forms.ReplyForm,
        lambda s, u, d: services.suggestion_reply(
            suggestion=s,
            text=d["text"],
            result_class=d["result_class"],
            publishable=d["publishable"],
            follow_up_on=d["follow_up_on"],
            files=d["files"],
            actor=u,
        ),
    ),
    Action.ACCEPT_REPLY: Step(
        "审核答复",
        forms.ReviewForm,
        lambda s, u, d: services.suggestion_review_reply(suggestion=s, accept=d["accept"], note=d["note"], actor=u),
    ),
    Action.EVALUATE: Step(
        "评价",
        forms.EvaluateForm,
        lambda s, u, d: services.suggestion_evaluate(
            suggestion=s, attitude=d["attitude"], result=d["result"], comment=d["comment"], actor=u
        ),
        shown=lambda s, u: not any(e.deputy_id == u.deputy_id and e.round == s.round for e in s.evaluations.all()),
    ),
    Action.MARK_KEY: Step(
        "列为重点督办",
        forms.MarkKeyForm,
        lambda s, u, d: services.suggestion_mark_key(suggestion=s, leader=d["leader"], note=d["note"], actor=u),
        shown=lambda s, u: not s.is_key,
    ),
    Action.SUPERVISE: Step(
        "督办记录",
        forms.SuperviseForm,
        lambda s, u, d: services.supervision_record_add(
            suggestion=s, method=d["method"], date=d["date"], findings=d["findings"], follow_up=d["follow_up"], actor=u
        ),
        # After closing, supervision is for following up B and C commitments only.
        shown=lambda s, u: s.state != State.CLOSED or bool(s.result_class and s.result_class.needs_follow_up),
    ),
}


def _steps_for(s: Suggestion, user, bound: tuple[str, djforms.Form] | None = None) -> list[dict[str, Any]]:
    allowed = services.allowed_actions(user, s)
    out = []
    for action, step in STEPS.items():
        if action not in allowed or not step.shown(s, user):
            continue
        form = step.form(prefix=action) if step.form else None
        if bound and bound[0] == action:
            form = bound[1]
        out.append({"action": action, "label": step.label, "form": form, "danger": step.danger})
    return out


@login_required
def suggestion_detail(request: HttpRequest, pk: int, bound=None, status: int = 200) -> HttpResponse:
    s = _get(request, pk)
    user = request.user
    roles = services.actor_roles(user, s)
    sees_internal = bool(roles - {ActorRole.AUTHOR, ActorRole.COSIGNER}) or user.scope_kind == ScopeKind.CITY
    replies = list(s.replies.all())
    if not sees_internal:
        # Deputies see a reply once staff accepted it; drafts of replies stay between unit and staff.
        replies = [r for r in replies if r.review_status == "accepted"]
    context = {
        "object": s,
        "title": s.title,
        "steps": _steps_for(s, user, bound),
        "can_edit": Action.EDIT in services.allowed_actions(user, s),
        "roles": roles,
        "replies": replies,
        "events": list(s.events.all()),
        "attachments": [a for a in s.attachments.all() if a.reply_id is None],
        "today": timezone.localdate(),
        "sees_internal": sees_internal,
    }
    return render(request, "suggestions/detail.html", context, status=status)


@login_required
@require_POST
def suggestion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    s = _get(request, pk)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    if action not in services.allowed_actions(request.user, s) or not step.shown(s, request.user):
        messages.error(request, "当前状态下您不能执行这项操作。")
        return HttpResponseRedirect(s.get_absolute_url())
    form = step.form(request.POST, request.FILES, prefix=action) if step.form else None
    if form is not None and not form.is_valid():
        return suggestion_detail(request, pk, bound=(action, form), status=400)
    try:
        step.run(s, request.user, form.cleaned_data if form else {})
    except IllegalTransition as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
        else:
            form.add_error(None, exc)
            return suggestion_detail(request, pk, bound=(action, form), status=400)
    else:
        messages.success(request, f"已{step.label}。")
    return HttpResponseRedirect(s.get_absolute_url())


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = Attachment.objects.select_related("suggestion", "reply").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    s = _get(request, attachment.suggestion_id)  # 404 outside the user's scope
    if attachment.reply_id and attachment.reply.review_status != "accepted":
        roles = services.actor_roles(request.user, s)
        if not roles - {ActorRole.AUTHOR, ActorRole.COSIGNER}:
            raise Http404
    from deputyhome.audit.services import record

    record(actor=request.user, action="suggestion.attachment_download", obj=s, detail=attachment.name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# Desks --------------------------------------------------------------------------------------------------


DESK_LIMIT = 20


def _section(queue: queues.Queue, limit: int = DESK_LIMIT) -> dict[str, Any]:
    rows = list(queue.qs[: limit + 1])
    return {
        "key": queue.key,
        "title": queue.title,
        "rows": rows[:limit],
        "more": len(rows) > limit,
        "empty": queue.empty,
    }


def _desk(request: HttpRequest, desk: queues.Desk | None, today: datetime.date) -> HttpResponse:
    if desk is None:
        raise PermissionDenied("您的角色没有建议待办。")
    sections = [_section(q) for q in desk.queues]
    return render(request, "suggestions/desk.html", {"title": desk.title, "sections": sections, "today": today})


@login_required
def staff_desk(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.CITY_OFFICER:
        raise PermissionDenied("代工委工作台仅供市人大常委会代工委工作人员使用。")
    today = timezone.localdate()
    return _desk(request, queues.desk_for(request.user, today), today)


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    if not selectors.is_unit_user(request.user):
        raise PermissionDenied("承办单位收件箱仅供承办单位经办人使用。")
    today = timezone.localdate()
    return _desk(request, queues.desk_for(request.user, today), today)


@login_required
def supervisor_board(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.SUPERVISOR, Role.LEADER, Role.CITY_OFFICER):
        raise PermissionDenied("督办看板仅供督办人员、领导和代工委使用。")
    today = timezone.localdate()
    desk = queues.Desk("督办看板", "suggestions:board", queues.board_queues(request.user, today))
    return _desk(request, desk, today)


@login_required
def deputy_todo(request: HttpRequest) -> HttpResponse:
    """我的建议待办: replies to evaluate, co-signatures to confirm, returned suggestions and drafts."""
    if not request.user.deputy_id:
        raise PermissionDenied("只有人大代表本人有建议待办。")
    today = timezone.localdate()
    return _desk(request, queues.deputy_desk(request.user, today), today)


# The register and the public list -----------------------------------------------------------------------


@exports.export_view(exports.SUGGESTION_REGISTER)
def register_export(request: HttpRequest) -> exports.ExportFile:
    from .ledger import register_file

    if not may_see_suggestions(request.user):
        raise PermissionDenied
    qs = selectors.suggestion_list(user=request.user).filter(number__isnull=False)
    f = SuggestionFilter(request.GET or None, queryset=qs, user=request.user)
    filters: dict[str, Any] = {}
    if f.is_bound and f.is_valid():
        qs = f.qs
        filters = {k: v for k, v in request.GET.dict().items() if k not in ("sort", "page")}
    return register_file(qs=qs.order_by("year", "session_id", "number"), filters=filters)


def public_replies(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_replies()
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    page = Paginator(qs.order_by("-year", "number"), 20).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(
        request, "suggestions/public_list.html", {"title": "代表建议办理结果公开", "page": page, "q": q, "query": query}
    )


def public_reply_detail(request: HttpRequest, token: str) -> HttpResponse:
    s = selectors.published_replies().filter(public_token=token).first()
    if s is None:
        raise Http404
    reply = s.replies.filter(review_status="accepted", publishable=True).order_by("-round").first()
    return render(request, "suggestions/public_detail.html", {"title": s.title, "object": s, "reply": reply})
