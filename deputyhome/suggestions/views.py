"""Pages of the suggestion workflow: the register, drafting, a suggestion's page and its actions.

The desks and the public pages are in `desk_views.py`; the actions' table in `steps.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from deputyhome.accounts import export_rights, scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.core import exports
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import Column, RegisterView, not_in_scope, render_form
from deputyhome.core.filters import typed_text
from deputyhome.deputies import selectors as deputy_selectors
from deputyhome.deputies.models import Deputy
from deputyhome.organisation import selectors as org_selectors

from . import forms, selectors, services
from .choices import Action, ActorRole, Satisfaction, State
from .filters import SuggestionFilter
from .forward_page import forward_context
from .models import Attachment, Suggestion
from .steps import STEPS
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

    def get_queryset(self):
        return selectors.as_table_rows(super().get_queryset(), "author", "category").only(*ROW_FIELDS)


# What the register's columns read of a suggestion, its author and its category (not the author's personal data,
# which is decrypted on every row read).
ROW_FIELDS = ("number", "title", "author__name", "session", "category__name", "state", "round", "due_on", "is_key")


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
        qs = super().get_queryset().filter(scopes.own_suggestions_q(self.request.user)).distinct()
        return qs.extra(select={"_me": "%s"}, select_params=[me])  # noqa: S610 - a bound parameter, not SQL text


# Creating and editing drafts ----------------------------------------------------------------------------


def _suggestion_form(
    request: HttpRequest, data=None, files=None, initial=None, ask_author: bool = False, author_id: int | None = None
):
    user = request.user
    deputies = _author_choices(user) if ask_author else Deputy.objects.none()
    if ask_author:
        congresses = selectors.congresses_for_entry(user=user)
        sessions = selectors.sessions_for_entry(user=user)
    else:
        author = Deputy.objects.get(pk=author_id) if author_id else None
        congresses = services.congresses_for(deputy=author, day=timezone.localdate()) if author else []
        # Only the sessions of the author's own congresses: the service refuses any other.
        sessions = org_selectors.session_list(user=user).filter(congress__in=[c.pk for c in congresses])
    return forms.SuggestionForm(
        data=data,
        files=files,
        initial=initial,
        authors=deputies,
        author_id=author_id,
        cosigner_choices=selectors.picker_deputies(),
        sessions=sessions.order_by("-start_date", "pk"),
        congresses=congresses,
        ask_author=ask_author,
    )


def _draft_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Suggestion],
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Save the draft through `save` (the content fields, co-signers and files) and go to it, or show the form again."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = {k: data.get(k) for k in services.CONTENT_FIELDS}
        try:
            s = save(data, content=content, cosigners=data["cosigners"], files=data["files"], actor=request.user)
        except (ValidationError, IllegalTransition) as exc:
            form.add_error(None, str(exc) if isinstance(exc, IllegalTransition) else exc)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(s.get_absolute_url())
    return render_form(request, "suggestions/form.html", {"form": form, **context})


def _author_choices(user):
    """Deputies a clerk may enter a suggestion for: those in their scope who serve now."""
    return selectors.picker_deputies().filter(pk__in=deputy_selectors.deputy_list(user=user).values("pk"))


@login_required
def deputy_search(request: HttpRequest) -> HttpResponse:
    """The pickers' matches (htmx): `field` is author or cosigners, what was typed is `<field>_q`; the
    suggestion's author (`author`, or the deputy drafting) is never offered as a co-signer."""
    user = request.user
    if not may_draft(user):
        raise PermissionDenied("您的角色不能起草代表建议。")
    field = "author" if request.GET.get("field") == "author" else "cosigners"
    q = typed_text(request.GET.get(f"{field}_q"))
    exclude: list[int] = []
    if field == "cosigners":
        exclude = [pk for v in request.GET.getlist("author") if (pk := valid_id(v))] + [user.deputy_id or 0]
    found = selectors.deputy_search(user=user, q=q, exclude=exclude)
    if field == "author":
        allowed = set(_author_choices(user).filter(pk__in=[d.pk for d in found]).values_list("pk", flat=True))
        found = [d for d in found if d.pk in allowed]
    context = {
        "name": field,
        "multiple": field == "cosigners",
        "short": len(q.strip()) < 2,
        "results": [(d.pk, deputy_selectors.deputy_label(d)) for d in found],
        "limit": selectors.PICKER_LIMIT,
    }
    return render(request, "suggestions/_deputy_results.html", context)


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_draft(user):
        raise PermissionDenied("您的角色不能起草代表建议。")
    ask_author = user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)
    form = _suggestion_form(
        request,
        request.POST or None,
        request.FILES or None,
        ask_author=ask_author,
        author_id=None if ask_author else user.deputy_id,
    )

    def save(data: dict[str, Any], *, content: dict[str, Any], **kwargs: Any) -> Suggestion:
        author = data["author"] if ask_author else user.deputy
        return services.suggestion_create(author=author, data=content, **kwargs)

    return _draft_page(request, form, save, "草稿已保存。确认无误后请点击“提交”。", {"title": "起草代表建议"})


@login_required
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_suggestion(request, pk)
    if Action.EDIT not in services.allowed_actions(request.user, s):
        raise PermissionDenied("当前状态下您不能修改这件建议。")
    initial = {
        "title": s.title,
        "situation": s.situation,
        "reasons": s.reasons,
        "proposals": s.proposals,
        "session": s.session_id,
        "congress": s.congress_id,
        "cosigners": [c.deputy_id for c in s.cosigners.all()],
    }
    form = _suggestion_form(
        request, request.POST or None, request.FILES or None, initial=initial, author_id=s.author_id
    )

    def save(data: dict[str, Any], *, content: dict[str, Any], **kwargs: Any) -> Suggestion:
        return services.suggestion_update(suggestion=s, data=content, **kwargs)

    return _draft_page(request, form, save, "已保存。", {"title": f"修改：{s.title}", "object": s})


# The detail page and its actions ------------------------------------------------------------------------


def get_suggestion(request: HttpRequest, pk: int) -> Suggestion:
    if not may_see_suggestions(request.user):
        raise not_in_scope(request.user, Suggestion, pk)
    try:
        return selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist as exc:
        raise not_in_scope(request.user, Suggestion, pk, "未找到这件建议，或不在您的范围内。") from exc


def _evaluation_status(s: Suggestion, user) -> str:
    """While the reply awaits evaluation: who has answered, counted from the evaluations of this round."""
    if s.state != State.AWAITING_EVALUATION:
        return ""
    cosigners = [c.deputy_id for c in s.cosigners.all() if c.confirmed_at]
    answered = {e.deputy_id for e in s.evaluations.all() if e.round == s.round}
    if user.deputy_id and user.deputy_id in [s.author_id, *cosigners] and user.deputy_id not in answered:
        return "待您评价"
    if s.author_id in answered and cosigners:
        done = sum(1 for d in cosigners if d in answered)
        return f"待联名代表评价（{done}/{len(cosigners)}）"
    return "待领衔代表评价" if cosigners else ""


def _rehandling_reasons(s: Suggestion) -> list[Any]:
    """In a second round: the deputies' reasons for being dissatisfied with the first reply."""
    if s.round < 2:
        return []
    return [
        e
        for e in s.evaluations.all()
        if e.round == s.round - 1 and Satisfaction.DISSATISFIED in (e.result, e.attitude) and e.comment
    ]


def _with_notes(steps: list[dict[str, Any]], roles: set[str]) -> list[dict[str, Any]]:
    """Staff who withdraw a suggestion do it for its author (`core/_steps.html` shows the note by the heading)."""
    for step in steps:
        if step["action"] == Action.WITHDRAW and ActorRole.AUTHOR not in roles:
            step["note"] = "代领衔代表撤回"
    return steps


@login_required
def suggestion_detail(request: HttpRequest, pk: int, bound=None, status: int = 200) -> HttpResponse:
    s = get_suggestion(request, pk)
    user = request.user
    roles = services.actor_roles(user, s)
    sees_internal = bool(roles - {ActorRole.AUTHOR, ActorRole.COSIGNER}) or user.scope_kind == ScopeKind.CITY
    replies = list(s.replies.all())
    if not sees_internal:
        # Deputies see a reply once staff accepted it; drafts of replies stay between unit and staff.
        replies = [r for r in replies if r.review_status == "accepted"]
    attachments = list(s.attachments.all())
    for r in replies:
        r.files = [a for a in attachments if a.reply_id == r.pk]  # the suggestion's, already read: no query per reply
    forwarding = forward_context(user, s, bound)
    for f in forwarding["forwards"]:
        f.files = [a for a in attachments if a.forward_id == f.pk]
    context = {
        "object": s,
        "title": s.title,
        "evaluation": _evaluation_status(s, user),
        "rehandling_reasons": _rehandling_reasons(s),
        "steps": _with_notes(STEPS.forms(s, user, bound), roles),
        "can_edit": Action.EDIT in services.allowed_actions(user, s),
        "roles": roles,
        "replies": replies,
        "events": list(s.events.all()),
        "attachments": [a for a in attachments if a.reply_id is None and a.forward_id is None],
        "today": timezone.localdate(),
        "sees_internal": sees_internal,
        **forwarding,
    }
    return render(request, "suggestions/detail.html", context, status=status)


@login_required
@require_POST
def suggestion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    s = get_suggestion(request, pk)
    return STEPS.handle(request, s, action, lambda bound: suggestion_detail(request, pk, bound=bound, status=400))


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = Attachment.objects.select_related("suggestion", "reply").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    s = get_suggestion(request, attachment.suggestion_id)  # 404 outside the user's scope
    if attachment.reply_id and attachment.reply.review_status != "accepted":
        roles = services.actor_roles(request.user, s)
        if not roles - {ActorRole.AUTHOR, ActorRole.COSIGNER}:
            raise not_in_scope(request.user, Attachment, attachment.pk)  # a reply not yet accepted: staff and units
    if (
        attachment.forward_id
        and not selectors.forward_list(user=request.user).filter(pk=attachment.forward_id).exists()
    ):
        # An answer to a forward: for whoever sees the forward (a unit's clerk, only their unit's).
        raise not_in_scope(request.user, Attachment, attachment.pk)
    from deputyhome.audit.services import record

    record(actor=request.user, action="suggestion.attachment_download", obj=s, detail=attachment.name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# The register and the public list -----------------------------------------------------------------------


@exports.export_view(export_rights.SUGGESTION_REGISTER)
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
