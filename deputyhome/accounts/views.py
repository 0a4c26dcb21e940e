"""User management for the system administrator."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from deputyhome.audit.middleware import mark_refusal_audited
from deputyhome.core import registry
from deputyhome.core.crud import Column, FormPageView, RegisterView, get_in_scope, name_column, yes_no_column
from deputyhome.core.filters import ScopedFilterSet, YesNoFilter
from deputyhome.core.pages import ModelPages

from . import forms, selectors, services
from .choices import Role
from .models import User


def _review_filter(label: str, q) -> YesNoFilter:
    """A yes/no filter of the user register on a review condition `q()` (an anti-join, see `selectors`): 是 keeps the
    accounts it holds for, 否 the others. Not `~q` for 否 (an OR over the anti-join is checked account by account,
    five times slower at a province), nor a subquery (the page's count and rows would each run it): the few accounts
    to leave out, read once."""

    def method(qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        if value:
            return qs.filter(q())
        return qs.exclude(pk__in=list(User.objects.filter(q()).values_list("pk", flat=True)))

    return YesNoFilter(label=label, method=method)


class UserFilter(ScopedFilterSet):
    search_fields = ("username", "display_name")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices)
    is_active = YesNoFilter(label="启用")
    idle = YesNoFilter(label=f"{selectors.IDLE_DAYS}天以上未登录", method="filter_idle")
    # Accounts to review: a deputy who holds no seat today (after 换届, or having left), to disable; a group
    # leader's account whose deputy no longer leads the group, or a clerk's whose unit is no longer in use, whose
    # role or anchor is to change (the security administrator's).
    former_deputy = _review_filter("代表本人已离任", selectors.former_deputy_q)
    outdated = _review_filter("已不任组长、联络员", selectors.outdated_leader_q)
    retired_unit = _review_filter("所属单位已停用", selectors.retired_unit_q)

    def filter_idle(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        idle = selectors.idle_q(timezone.now())
        return qs.filter(idle if value else ~idle)


class UserRegister(RegisterView):
    @property
    def extra_links(self) -> list[tuple[str, str]]:
        # The working-day calendar and the failed notifications are the system administrator's too; their pages hang
        # off theirs.
        # 开通代表账号 belongs to the deputies app (registered there), for the administrator whose step it is.
        batch = registry.link("deputy_accounts", self.request.user, None)
        links = [batch] if batch else []
        if self.request.user.role != Role.SYSTEM_ADMIN:
            return links
        return [
            *links,
            (reverse("accounts:former_deputies"), "停用离任代表账号"),
            (reverse("calendar:list"), "工作日历调整"),
            (reverse("notifications:failed"), "发送失败的通知"),
        ]


def _guard(request: HttpRequest, target, action: str) -> None:
    """Refuse an action on another administrator's account; the refusal writes its own audit row."""
    try:
        services.account_guard(actor=request.user, target=target, action=action)
    except PermissionDenied:
        mark_refusal_audited(request)
        raise


class AccountFormPage(FormPageView):
    """System administrator: create accounts, rename, activate or deactivate, reset passwords."""

    def get_object(self):
        instance = super().get_object()
        if instance is not None:
            setting = self.request.method == "POST" and bool(self.request.POST.get("password"))
            _guard(self.request, instance, "set_password" if setting else "edit")
        return instance

    def save(self, form, instance):
        data = {k: v for k, v in form.cleaned_data.items() if k != "password"}
        password = form.cleaned_data.get("password")
        if instance is None:
            return services.user_create(data=data, password=password, actor=self.request.user)
        return services.user_edit(user=instance, data=data, password=password, actor=self.request.user)


class RoleForm(FormPageView):
    """Security administrator: the role and the data scope of an existing account."""

    form_class = forms.RoleForm
    title = "分配角色"
    allowed = staticmethod(selectors.may_assign_roles)
    selector = staticmethod(selectors.user_list)

    def get_object(self):
        instance = super().get_object()
        _guard(self.request, instance, "role")
        return instance

    def get_title(self, instance):
        return f"分配角色：{instance}"

    def save(self, form, instance):
        return services.user_update(user=instance, data=form.cleaned_data, actor=self.request.user)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.may_manage_users(request.user):
        raise PermissionDenied
    account = get_in_scope(selectors.user_list, request.user, pk)
    context = {
        "object": account,
        "title": account.username,
        "review": selectors.account_review_reasons(account) if account.is_active else [],
        "anchors": " · ".join(str(a) for a in (account.region, account.group, account.deputy, account.unit) if a),
        **_account_actions(request.user, account),
    }
    return render(request, "accounts/user_detail.html", context)


def _account_actions(actor, account) -> dict[str, list]:
    """The buttons an administrator may use on an account, and, where 三员分立 refuses one (another
    administrator's account), the reason instead of a button that would answer 403."""
    actions, refused = [], []
    offered = (
        ("edit", "编辑账号", "accounts:user_update", selectors.may_manage_accounts(actor)),
        ("role", "分配角色", "accounts:user_role", selectors.may_assign_roles(actor)),
        ("reset", "重置密码", "accounts:user_reset", actor.role == Role.SECURITY_ADMIN and account.is_administrator),
    )
    for action, label, url, applies in offered:
        if not applies:
            continue
        reason = selectors.account_refusal(actor=actor, target=account, action=action)
        if reason:
            refused.append(reason)
        else:
            actions.append((label, reverse(url, args=[account.pk])))
    return {"actions": actions, "refused": refused}


users = ModelPages(
    "accounts",
    "user",
    selector=selectors.user_list,
    viewers=selectors.may_manage_users,
    editors=selectors.may_manage_accounts,
    register_view=UserRegister,
    register={
        "title": "用户管理",
        "filterset_class": UserFilter,
        "default_sort": "username",
        "columns": [
            name_column("用户名", "username"),
            Column("姓名", lambda u: u.display_name, "display_name"),
            Column("角色", lambda u: u.get_role_display(), "role"),
            Column("范围", lambda u: u.region or u.group or u.deputy or u.unit or ""),
            yes_no_column("启用", "is_active"),
            Column("最近登录", lambda u: f"{u.last_login:%Y-%m-%d %H:%M}" if u.last_login else "", "last_login"),
        ],
    },
    detail=user_detail,
    form_class=forms.AccountForm,
    form_title="新建账号",
    form_view=AccountFormPage,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Security administrator: reset another administrator's password to a one-time password, shown once."""
    if not selectors.may_manage_users(request.user):
        raise PermissionDenied("您的角色无权重置密码。")
    account = get_in_scope(selectors.user_list, request.user, pk)
    _guard(request, account, "reset")
    context = {"object": account, "title": f"重置密码：{account.username}"}
    if request.method == "POST":
        context["password"] = services.user_reset_password(user=account, actor=request.user)
    return render(request, "accounts/user_reset.html", context)


# Shown on the confirmation page; the rest are counted (the user register, filtered, lists them all).
FORMER_SHOWN = 200


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def former_deputies(request: HttpRequest) -> HttpResponse:
    """System administrator: the logins of deputies who no longer sit, and (POST) disabling them in one step."""
    return _switch_page(request, seated_again=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def seated_deputies(request: HttpRequest) -> HttpResponse:
    """System administrator: the logins disabled that way whose deputy sits again, and (POST) enabling them."""
    return _switch_page(request, seated_again=True)


def _switch_page(request: HttpRequest, *, seated_again: bool) -> HttpResponse:
    """The list, and on confirmation the switch, for the list the page showed (its digest comes back)."""
    if not selectors.may_manage_accounts(request.user):
        raise PermissionDenied("只有系统管理员可以启用或停用账号。")
    error = ""
    if request.method == "POST":
        try:
            count = services.former_deputy_logins_switch(
                actor=request.user, confirmed=request.POST.get("confirmed", ""), seated_again=seated_again
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            done = "重新启用" if seated_again else "停用"
            messages.success(request, f"已{done}{count}个代表账号，已记入审计日志。")
            listed = "?former_deputy=false&is_active=true" if seated_again else "?former_deputy=true"
            return HttpResponseRedirect(reverse("accounts:user_list") + listed)
    accounts = selectors.former_deputy_logins(actor=request.user, seated_again=seated_again)
    pks = list(accounts.values_list("pk", flat=True))
    context = {
        "title": "重新启用恢复代表资格的账号" if seated_again else "停用离任代表账号",
        "seated_again": seated_again,
        # The rows from the ids read (the list's condition is an anti-join over every deputy's login: read once).
        "rows": selectors.with_seat_ended(User.objects.filter(pk__in=pks))[:FORMER_SHOWN],
        "count": len(pks),
        "more": max(len(pks) - FORMER_SHOWN, 0),
        "confirmed": selectors.logins_digest(pks),
        "error": error,
    }
    return render(request, "accounts/former_deputies.html", context, status=400 if error else 200)
