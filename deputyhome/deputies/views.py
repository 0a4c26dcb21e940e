"""Pages for deputies, their mandates and their group memberships."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from deputyhome.accounts.choices import ScopeKind
from deputyhome.audit.services import mark_refusal_audited, record
from deputyhome.core import registry
from deputyhome.core.crud import (
    Column,
    CountedRows,
    DeletePageView,
    FormPageView,
    RegisterView,
    get_in_scope,
    not_in_scope,
    township_column,
)
from deputyhome.core.exports import link_allowed
from deputyhome.core.masking import mask_id_number, mask_phone

from . import filters, forms, selectors, services
from .models import Deputy
from .services.account_requests import account_request, account_status
from .services.phone_changes import recently_changed


def may_reveal(user, deputy: Deputy) -> bool:
    """Who may reveal a deputy's ID number and phone: staff who keep the roster, and the deputy themself."""
    return user.sees_personal_data or (user.deputy_id is not None and user.deputy_id == deputy.pk)


def _levels(d: Deputy) -> str:
    """The levels of the deputy's current mandates, or 已离任 with none (a term ended, e.g. at 换届)."""
    levels = sorted(d.current_mandates, key=lambda m: m.congress.level)
    return "、".join(m.congress.get_level_display() for m in levels) or "已离任"


def _group(d: Deputy):
    return d.current_memberships[0].group if d.current_memberships else None


def has_deputy_pages(user) -> bool:
    return user.scope_kind not in (ScopeKind.NONE, ScopeKind.UNIT)


class DeputyList(RegisterView):
    title = "人大代表"
    allowed = staticmethod(has_deputy_pages)
    selector = staticmethod(selectors.deputy_list)
    filterset_class = filters.DeputyFilter
    default_sort = "region__code"
    create_url = "deputies:create"
    export_url = "roster:export_deputies"

    def get_columns(self) -> list[Column]:
        # Lists show personal data masked for everyone; the full value is revealed one deputy at a time.
        return [
            Column("姓名", lambda d: d.name, "name", link=lambda d: d.get_absolute_url()),
            Column("性别", lambda d: d.get_gender_display(), "gender"),
            Column("民族", lambda d: d.ethnicity, "ethnicity"),
            Column("出生年月", lambda d: f"{d.birth_date:%Y.%m}", "birth_date"),
            Column("政治面貌", lambda d: d.party, "party"),
            Column("代表层级", _levels),
            Column("所在小组", lambda d: _group(d).name if _group(d) else "未编组"),
            township_column(lambda d: d.region.name if d.region else "", "region__code"),
            Column("联系电话", lambda d: mask_phone(d.phone)),
        ]

    def order(self, qs, field):
        # By township, the first page is read township by township along the region codes' index (a nested
        # loop that stops after 25 rows) rather than by sorting every deputy, but only over an inner join:
        # so when every deputy listed has a township, as they all do at province scale. The count stays
        # on the deputies alone.
        ordered = super().order(qs, field)
        if field.lstrip("-") != "region__code" or qs.filter(region__isnull=True).exists():
            return ordered
        return CountedRows(ordered.filter(region__code__isnull=False), counted=qs)

    def extra_context(self, qs):
        query = self.request.GET.copy()
        query.pop("page", None)
        links = []
        # The ordinary export is masked; the full one (reason and confirmation first) only for those with the right.
        if link_allowed(self.request.user, FULL_EXPORT):
            links.append(
                (reverse(FULL_EXPORT) + (f"?{query.urlencode()}" if query else ""), "导出完整名册（含身份证号）")
            )
        # The keepers ask for the logins of the deputies listed, as filtered, who have none.
        if self.request.user.can_edit:
            ask = query.copy()
            ask.pop("sort", None)
            ask["login"] = "no"
            links.append((reverse("deputies:account_request_batch") + f"?{ask.urlencode()}", "批量申请开通账号"))
        return {"extra_links": links} if links else {}


FULL_EXPORT = "roster:export_deputies_full"


@login_required
@never_cache  # personal data: no browser or proxy keeps a copy (Cache-Control: no-store)
def deputy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Masked by default; a POST with `reveal` shows the ID number and phone, and is audited."""
    if not has_deputy_pages(request.user):
        raise not_in_scope(request.user, Deputy, pk)
    deputy = get_in_scope(selectors.deputy_list, request.user, pk)
    full = False
    if request.method == "POST" and "reveal" in request.POST:
        if not may_reveal(request.user, deputy):
            record(actor=request.user, action="personal_data.reveal", obj=deputy, success=False, detail="无权查看")
            mark_refusal_audited(request)
            raise PermissionDenied("您无权查看完整的身份证号和联系电话。")
        record(actor=request.user, action="personal_data.reveal", obj=deputy, detail="身份证号、联系电话")
        full = True
    return render(
        request,
        "deputies/detail.html",
        {
            "object": deputy,
            "title": deputy.name,
            "mandates": selectors.mandates_of(deputy=deputy),
            "memberships": selectors.memberships_of(deputy=deputy),
            "group": _group(deputy),
            "id_number": deputy.id_number if full else mask_id_number(deputy.id_number),
            "phone": deputy.phone if full else mask_phone(deputy.phone),
            # A phone changed lately is what a 开通单's handing over checks in person (decision 151).
            "phone_changed": deputy.phone_changed_at if recently_changed(deputy) else None,
            "levels": _levels(deputy),
            "is_me": request.user.deputy_id == deputy.pk,
            "revealed": full,
            "may_reveal": may_reveal(request.user, deputy),
            # Asked of the records app (registered with core): only for those its page would let in.
            "record_url": registry.link("deputy_record", request.user, deputy),
            # Whether the deputy has a login, for the staff who may ask the administrators for one.
            "login": account_status(deputy) if request.user.can_edit else None,
        },
    )


@login_required
@require_POST
def account_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    """申请开通账号: the city or township officer asks the administrators for the deputy's login."""
    deputy = get_in_scope(selectors.deputy_list, request.user, pk)
    if not request.user.can_edit:
        raise PermissionDenied("只有市、乡两级人大工作人员可以申请开通代表账号。")
    try:
        account_request(deputy=deputy, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return HttpResponseRedirect(deputy.get_absolute_url())
    messages.success(request, f"已申请为{deputy.name}开通登录账号：系统管理员已收到通知。")
    return HttpResponseRedirect(deputy.get_absolute_url())


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """A deputy's own page: their mandates, group and station."""
    if not request.user.deputy_id:
        raise Http404("您的账号没有关联代表信息。")
    return HttpResponseRedirect(Deputy(pk=request.user.deputy_id).get_absolute_url())


@method_decorator(never_cache, name="dispatch")  # the edit form shows the ID number and phone in full
class DeputyForm(FormPageView):
    form_class = forms.DeputyForm
    title = "新增人大代表"
    list_url = "deputies:list"
    selector = staticmethod(selectors.deputy_list)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if "pk" in kwargs:  # the edit form shows the ID number and phone in full
            deputy = Deputy.objects.get(pk=kwargs["pk"])
            record(actor=request.user, action="personal_data.reveal", obj=deputy, detail="编辑表单")
        return response

    def save(self, form, instance):
        if instance is None:
            return services.deputy_create(data=form.cleaned_data, actor=self.request.user)
        return services.deputy_update(deputy=instance, data=form.cleaned_data, actor=self.request.user)


class DeputyDelete(DeletePageView):
    selector = staticmethod(selectors.deputy_list)
    service = staticmethod(lambda obj, actor: services.deputy_delete(deputy=obj, actor=actor))
    success_url_name = "deputies:list"


class _DeputyChildForm(FormPageView):
    """Forms for a deputy's mandates and memberships: the deputy comes from the URL, in scope."""

    def deputy(self) -> Deputy:
        if "deputy_pk" in self.kwargs:
            return get_in_scope(selectors.deputy_list, self.request.user, self.kwargs["deputy_pk"])
        return self.get_object().deputy

    def form_kwargs(self):
        return {"deputy": self.deputy()}

    def new_data(self):
        return {"deputy": self.deputy()}

    def cancel_url(self, instance):
        return self.deputy().get_absolute_url()


class MandateForm(_DeputyChildForm):
    form_class = forms.MandateForm
    title = "新增代表资格"
    selector = staticmethod(selectors.mandate_list)
    entity = "mandate"
    create = staticmethod(services.mandate_create)
    update = staticmethod(services.mandate_update)


class MembershipForm(_DeputyChildForm):
    form_class = forms.MembershipForm
    title = "加入代表小组"
    selector = staticmethod(selectors.membership_list)
    entity = "membership"
    create = staticmethod(services.membership_create)
    update = staticmethod(services.membership_update)
