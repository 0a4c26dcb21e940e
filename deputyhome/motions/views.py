"""Pages of motions: the register and its export, drafting, a motion's page and its actions, the deputy search.

Sessions and delegations are in `views_sessions.py`; the actions' table in `steps.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from deputyhome.accounts import export_rights
from deputyhome.core import exports
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import (
    Column,
    RegisterView,
    add_service_errors,
    get_detail_in_scope,
    not_in_scope,
    render_form,
)
from deputyhome.core.filters import typed_text
from deputyhome.deputies.models import Mandate
from deputyhome.deputies.selectors import deputy_label
from deputyhome.suggestions.selectors import PICKER_LIMIT, picker_deputies

from . import forms, selectors, services
from .choices import MotionAction, MotionKind
from .filters import MotionFilter
from .models import Motion
from .register import register_file
from .steps import STEPS
from .workflow import IllegalTransition


def _signers(m: Motion) -> str:
    if m.kind == MotionKind.DELEGATION:
        return "—"
    return f"{m.confirmed_count}/{m.signer_count}"


COLUMNS = [
    Column("编号", lambda m: m.number_label, "number"),
    Column("案由", lambda m: m.title, "title", link=lambda m: m.get_absolute_url()),
    Column("会议", lambda m: m.session.name, "session__start_date"),
    Column("提出方式", lambda m: m.get_kind_display(), "kind"),
    Column("领衔代表（代表团）", lambda m: m.delegation.name if m.kind == MotionKind.DELEGATION else m.lead.name),
    Column("联名（已确认/列名）", _signers),
    Column("状态", lambda m: m.get_state_display(), "state"),
    Column(
        "提出时间",
        lambda m: timezone.localtime(m.filed_at).strftime("%Y-%m-%d %H:%M") if m.filed_at else "",
        "filed_at",
    ),
]


class MotionList(RegisterView):
    title = "议案"
    allowed = staticmethod(selectors.may_see_motions)
    selector = staticmethod(selectors.motion_register)
    filterset_class = MotionFilter
    columns = COLUMNS
    default_sort = "-filed_at"
    create_url = "motions:create"
    create_allowed = staticmethod(selectors.may_draft)
    export_url = "motions:export"

    def decorate(self, objects: list[Motion]) -> None:
        selectors.add_signer_counts(objects)

    def extra_context(self, qs) -> dict[str, Any]:
        links = [(reverse("motions:session_list"), "会议与代表团")]
        if selectors.may_see_sessions(self.request.user):
            links.append((reverse("motions:motion_rules_list"), "议案规则"))
        return {
            "extra_links": links,
            "note": "代表团或代表依法联名，在会议期间、议案截止时间前提出议案；由大会秘书处审查、主席团决定。",
        }


# Drafting ---------------------------------------------------------------------------------------------------


def _sessions_for(user):
    """Sessions the user's deputy may draft a motion for: of a current congress they sit in, before the deadline."""
    now = timezone.now()
    mandates = Mandate.objects.filter(deputy_id=user.deputy_id).values("congress_id")
    sessions = selectors.session_list(user=user).filter(congress_id__in=mandates, congress__is_current=True)
    open_ids = [s.pk for s in sessions if services.open_for_drafting(s, now)]
    return selectors.session_list(user=user).filter(pk__in=open_ids).order_by("start_date")


def _form_page(request: HttpRequest, form: forms.MotionForm, save, done: str, context: dict[str, Any]) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            m = save(form.cleaned_data)
        except (ValidationError, IllegalTransition) as exc:
            if isinstance(exc, IllegalTransition):
                form.add_error(None, str(exc))
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(m.get_absolute_url())
    return render_form(request, "motions/form.html", {"form": form, **context})


@login_required
def motion_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_draft(user):
        raise PermissionDenied("只有人大代表可以起草议案。")
    sessions = _sessions_for(user)
    initial = {}
    wanted = request.GET.get("session", "")
    if (wanted_pk := valid_id(wanted)) and sessions.filter(pk=wanted_pk).exists():
        initial["session"] = wanted_pk
    form = forms.MotionForm(request.POST or None, initial=initial, sessions=sessions, author_id=user.deputy_id)

    def save(data: dict[str, Any]) -> Motion:
        content = {k: data[k] for k in services.CONTENT_FIELDS}
        return services.motion_create(
            session=data["session"],
            lead=user.deputy,
            data=content,
            cosigners=data["cosigners"],
            kind=data["kind"],
            actor=user,
        )

    context = {"title": "起草议案", "no_session": not sessions.exists()}
    return _form_page(
        request, form, save, "草稿已保存。确认无误后请点击“提出议案”，联名代表须在截止时间前确认。", context
    )


@login_required
def motion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    m = _get(request, pk)
    if MotionAction.EDIT not in services.allowed_actions(request.user, m):
        raise PermissionDenied("当前状态下您不能修改这件议案。")
    initial = {
        "session": m.session_id,
        "title": m.title,
        "grounds": m.grounds,
        "plan": m.plan,
        "cosigners": [s.deputy_id for s in m.signers.all() if not s.is_lead],
    }
    sessions = selectors.session_list(user=request.user).filter(pk=m.session_id)
    form = forms.MotionForm(request.POST or None, initial=initial, sessions=sessions, author_id=m.lead_id, editing=True)

    def save(data: dict[str, Any]) -> Motion:
        content = {k: data[k] for k in services.CONTENT_FIELDS}
        return services.motion_update(motion=m, data=content, cosigners=data["cosigners"], actor=request.user)

    return _form_page(request, form, save, "已保存。", {"title": f"修改：{m.title}", "object": m})


@login_required
def deputy_search(request: HttpRequest) -> HttpResponse:
    """The pickers' matches (htmx), among the deputies of the chosen session's congress: `field` is the picker's
    name, what was typed `<field>_q`; the user's own deputy is never offered as a co-signer."""
    user = request.user
    if not (selectors.may_draft(user) or (selectors.may_see_sessions(user) and user.can_edit)):
        raise PermissionDenied("您的角色不能选择代表。")
    field = "deputy" if request.GET.get("field") == "deputy" else "cosigners"
    q = typed_text(request.GET.get(f"{field}_q"))
    found: list = []
    if len(q) >= 2:
        qs = picker_deputies(q=q, exclude=[user.deputy_id or 0] if field == "cosigners" else [])
        session_id = request.GET.get("session", "")
        session = selectors.session_list(user=user).filter(pk=session_id).first() if valid_id(session_id) else None
        if session is not None:
            qs = qs.filter(pk__in=Mandate.objects.filter(congress_id=session.congress_id).values("deputy_id"))
        found = list(qs[:PICKER_LIMIT])
    context = {
        "name": field,
        "multiple": field == "cosigners",
        "short": len(q) < 2,
        "results": [(d.pk, deputy_label(d)) for d in found],
        "limit": PICKER_LIMIT,
    }
    return render(request, "suggestions/_deputy_results.html", context)


# A motion's page and its actions ----------------------------------------------------------------------------


def _get(request: HttpRequest, pk: int) -> Motion:
    if not selectors.may_see_motions(request.user):
        raise not_in_scope(request.user, Motion, pk)
    return get_detail_in_scope(selectors.motion_detail, request.user, Motion, pk, "未找到这件议案，或不在您的范围内。")


@login_required
def motion_detail(request: HttpRequest, pk: int, bound=None, status: int = 200) -> HttpResponse:
    m = _get(request, pk)
    user = request.user
    session = m.session
    suggestion_url = ""
    if m.suggestion_id:
        from deputyhome.suggestions.selectors import suggestion_list

        if suggestion_list(user=user).filter(pk=m.suggestion_id).exists():
            suggestion_url = m.suggestion.get_absolute_url()
    context = {
        "object": m,
        "title": m.title,
        "steps": STEPS.forms(m, user, bound),
        "can_edit": MotionAction.EDIT in services.allowed_actions(user, m),
        "signers": list(m.signers.all()),
        "events": list(m.events.all()),
        "deadline": services.deadline_of(session),
        "window": services.window_problem(session, timezone.now(), "提出议案或确认、撤回联名"),
        "rules": services.rules_for(session.congress),
        "suggestion_url": suggestion_url,
        "today": timezone.localdate(),
    }
    return render(request, "motions/detail.html", context, status=status)


@login_required
@require_POST
def motion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    m = _get(request, pk)
    return STEPS.handle(request, m, action, lambda bound: motion_detail(request, pk, bound=bound, status=400))


# The register as a file -------------------------------------------------------------------------------------


@exports.export_view(export_rights.MOTION_REGISTER)
def register_export(request: HttpRequest) -> exports.ExportFile:
    if not selectors.may_see_motions(request.user):
        raise PermissionDenied
    qs = selectors.motion_register(user=request.user).exclude(filed_at__isnull=True)
    f = MotionFilter(request.GET or None, queryset=qs, user=request.user)
    filters: dict[str, Any] = {}
    if f.is_bound and f.is_valid():
        qs = f.qs
        filters = {k: v for k, v in request.GET.dict().items() if k not in ("sort", "page")}
    return register_file(qs=qs.order_by("year", "session__start_date", "number"), filters=filters)
