"""The pages of 开通代表账号: the officers' batch request (from the filtered register), the system administrator's
accounts with their 开通单, the security administrator's roles. One template, one confirmed step each."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from deputyhome.accounts.choices import Role
from deputyhome.accounts.selectors import logins_digest
from deputyhome.core.exports import XLSX_TYPE, attachment_header
from deputyhome.core.xlsx import safe_sheet, titled_sheet

from . import filters, selectors
from .handover_letters import DOCX_TYPE, handover_letters
from .models import Deputy
from .services.account_batches import (
    BATCH_MAX,
    HANDOVER_DAYS,
    Handover,
    deputy_accounts_create,
    deputy_roles_grant,
    expired_slips,
    first_requests,
    group_posts,
    handovers_renew,
    roleless_deputy_logins,
    suggested_role,
    username_for,
    waiting_deputies,
)
from .services.account_requests import account_requests_batch, requestable
from .services.phone_changes import RECENT_DAYS, recently_changed

# Rows shown on a confirmation page; the rest are counted.
SHOWN = 200


@dataclass
class Batch:
    """What the page shows: the rows (the first `SHOWN`), how many there are, the digest of the ids confirmed."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    ids: list[int]
    count: int
    intro: str
    button: str
    empty: str
    back: tuple[str, str]
    hidden: dict[str, str] = field(default_factory=dict)
    note: str = ""
    unit: str = "名"  # 名代表 or 个账号
    what: str = "代表"
    download: str = ""  # the step answers a file: what the button says once pressed
    blocked: str = ""  # why the list cannot be confirmed as it is (the button is not offered)
    links: list[tuple[str, str]] = field(default_factory=list)  # the pages next to this one
    formats: dict[str, str] = field(default_factory=dict)  # the forms of the file the step answers, to choose from

    @property
    def context(self) -> dict[str, Any]:
        return {
            "batch": self,
            "title": self.title,
            "confirmed": logins_digest(self.ids),
            "more": max(len(self.ids) - len(self.rows), 0),  # done with the rest, though not shown
            "beyond": max(self.count - len(self.ids), 0),  # left for the next confirmation
        }


def _shown(ids: list[int], *fields: str) -> dict[int, Deputy]:
    """The first `SHOWN` of these deputies by id, with the fields a list shows (not the encrypted ones)."""
    return Deputy.objects.select_related("region").only("name", "region__name", *fields).in_bulk(ids[:SHOWN])


@dataclass(frozen=True)
class Phones:
    """Of a list of deputies: those with no phone on their record (their first login gets no SMS code), and those
    whose phone replaced another within `phone_changes.RECENT_DAYS` (the replaced number is told when the account
    is opened), with the time of the change."""

    missing: set[int]
    changed: dict[int, datetime.datetime]


def _phones(ids: list[int]) -> Phones:
    """One query, reading (and decrypting) the phones of only the few deputies with none or a recent change."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    found = Deputy.objects.filter(Q(phone="") | Q(phone_changed_at__gte=since), pk__in=ids).order_by()
    found = list(found.only("pk", "phone", "phone_before", "phone_changed_at"))
    return Phones(
        missing={d.pk for d in found if not d.phone},
        changed={d.pk: d.phone_changed_at for d in found if recently_changed(d)},
    )


def _sms_check(has_phone: bool, changed: datetime.datetime | None = None, *, told: bool = False) -> str:
    """The 首次登录短信验证 column of an account's line; `changed`: when the phone replaced another, if lately (the
    replaced number is told at the opening: `told` once it has been)."""
    if not settings.FIRST_LOGIN_SMS:
        return "未启用"
    said = "验证码发至代表登记的手机" if has_phone else "无（代表未登记手机）"
    if changed:
        tell = "已安排短信告知原号码，请当面核对" if told else "开通时短信告知原号码"
        said += f"（手机号{timezone.localtime(changed):%m-%d}变更，{tell}）"
    return said


def _phone_note(phones: Phones) -> str:
    if not settings.FIRST_LOGIN_SMS:
        return ""
    said = "首次登录时，系统向代表登记的手机发送验证码，凭验证码才能设置密码：经手开通单的人不能冒用账号。"
    if phones.missing:
        said += f"其中{len(phones.missing)}名代表没有登记手机，首次登录不能短信验证：请申请人先在代表名册中补登手机号。"
    if phones.changed:
        said += (
            f"{len(phones.changed)}名代表的手机号{RECENT_DAYS}天内变更过：开通账号时系统短信告知原号码，"
            "交付开通单时请当面核对代表的手机号。"
        )
    return said


def _registered(pk: int, phones: Phones) -> str:
    """The 手机号 column of an officer's request: whether the deputy has one, and a recent change of it."""
    said = "未登记" if pk in phones.missing else "已登记"
    changed = phones.changed.get(pk)
    return f"{said}（{timezone.localtime(changed):%m-%d}变更）" if changed else said


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d}" if value else ""


def _batch_view(allowed: Callable[[Any], bool], refusal: str):
    """A page of a confirmed step (GET, POST; never cached), for the users `allowed` (else 403 with `refusal`)."""

    def decorate(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
        @never_cache
        @login_required
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request)

        return wrapper

    return decorate


def _page(request: HttpRequest, build: Callable[[], Batch], act: Callable[[str], HttpResponse]) -> HttpResponse:
    """GET: the list; POST: the step for the list the page showed (its digest comes back), or the list again with
    the reason it was refused (400, nothing written)."""
    error = ""
    if request.method == "POST":
        try:
            return act(request.POST.get("confirmed", ""))
        except ValidationError as exc:
            error = "；".join(exc.messages)
    batch = build()
    context = {**batch.context, "error": error}
    return render(request, "deputies/account_batch.html", context, status=400 if error else 200)


# The officers: ask for the logins of the deputies of the register as filtered -----------------------------------


def _filtered(request: HttpRequest, query: QueryDict):
    """The register's deputies in the user's scope, as `query` filters them (the register's own filters), and
    whether the filters were valid: an invalid one (another township's, an edited address) lists nobody, never the
    whole scope."""
    deputies = selectors.deputy_list(user=request.user)
    filterset = filters.DeputyFilter(query or None, queryset=deputies, user=request.user)
    if not filterset.is_bound:
        return deputies, True
    return (filterset.qs, True) if filterset.is_valid() else (deputies.none(), False)


@_batch_view(lambda user: user.can_edit, "只有市、乡两级人大工作人员可以申请开通代表账号。")
def account_request_batch(request: HttpRequest) -> HttpResponse:
    """City or township officer: 批量申请开通账号 for the deputies of the filtered register without a login."""
    raw = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    query = QueryDict(raw, mutable=True)
    query.pop("page", None)
    query.pop("sort", None)
    # 登录账号=未开通 is what the batch reads anyway (`requestable`): filtered twice, a province's logins were
    # anti-joined twice.
    narrowing = query.copy()
    if narrowing.get("login") == "no":
        narrowing.pop("login")
    deputies, valid = _filtered(request, narrowing)

    def act(confirmed: str) -> HttpResponse:
        count = account_requests_batch(actor=request.user, deputies=deputies, confirmed=confirmed)
        messages.success(request, f"已申请为{count}名代表开通登录账号：系统管理员已收到通知。")
        return HttpResponseRedirect(reverse("deputies:list") + f"?{query.urlencode()}")

    def build() -> Batch:
        listed = requestable(deputies).order_by("region__code", "pk")  # as the 代表编号 column reads
        ids = list(listed.values_list("pk", flat=True)[: BATCH_MAX + 1])
        shown = _shown(ids, "gender", "birth_date")  # the anti-join read once, above
        phones = _phones(ids[:BATCH_MAX])
        # One township's officer reads no township column (one value) and splits a batch by group only.
        show_township = not request.user.sees_one_township
        split_by = "乡镇（街道）或代表小组" if request.user.chooses_townships else "代表小组"
        rows = [
            [
                d.name,
                d.get_gender_display(),
                f"{d.birth_date:%Y.%m}",
                *([d.region.name if d.region_id else ""] if show_township else []),
                d.pk,
                _registered(d.pk, phones),
            ]
            for d in (shown[pk] for pk in ids[:SHOWN])
        ]
        too_many = len(ids) > BATCH_MAX
        return Batch(
            title="批量申请开通代表账号",
            headers=["姓名", "性别", "出生年月", *(["乡镇（街道）"] if show_township else []), "代表编号", "手机号"],
            rows=rows,
            ids=ids,
            count=listed.count() if len(ids) > BATCH_MAX else len(ids),
            intro="以下代表在名册中（按当前筛选条件）有代表资格、还没有登录账号，7天内也没有申请过。确认后，系统管理员收到通知，"
            "为他们创建账号、下载开通单（用户名和一次性密码）交您转交代表本人；安全管理员随后分配角色。",
            button="确认申请",
            empty="按当前筛选条件，没有可以申请开通账号的代表：都已有登录账号、没有代表资格，或7天内已申请。"
            if valid
            else "筛选条件有误（如所选乡镇、代表小组不在您的范围内），请返回名册重新筛选。",
            back=(reverse("deputies:list") + f"?{query.urlencode()}", "返回名册"),
            hidden={"query": query.urlencode()},
            note=_phone_note(phones) + f"一次最多申请{BATCH_MAX}名；更多的，请按{split_by}筛选后分批申请。",
            blocked=f"超过{BATCH_MAX}名，请返回名册，按{split_by}筛选后分批申请。" if too_many else "",
        )

    return _page(request, build, act)


# The system administrator: the accounts, and their 开通单 ---------------------------------------------------------


def handover_sheet(handovers: list[Handover]) -> bytes:
    """The 开通单 (.xlsx): a line per account, to be cut and handed to each deputy in person."""
    workbook = Workbook()
    today = timezone.localdate()
    headers = ["序号", "乡镇（街道）", "代表姓名", "代表编号", "用户名", "一次性密码", "有效期至", "首次登录短信验证"]
    sheet = titled_sheet(
        workbook.active,
        "开通单",
        f"代表账号开通单（{len(handovers)}个，{today:%Y-%m-%d}）",
        headers,
        [6, 16, 12, 10, 14, 22, 18, 24],
    )
    rows = safe_sheet(sheet)
    for n, h in enumerate(handovers, start=1):
        region = h.deputy.region.name if h.deputy.region_id else ""
        rows.append(
            [
                n,
                region,
                h.deputy.name,
                h.deputy.pk,
                h.username,
                h.password,
                f"{timezone.localtime(h.until):%Y-%m-%d %H:%M}",
                _sms_check(
                    bool(h.deputy.phone), h.deputy.phone_changed_at if recently_changed(h.deputy) else None, told=True
                ),
            ]
        )
    rows.append([])
    rows.append(
        [f"请当面交给代表本人。首次登录须修改密码；一次性密码{HANDOVER_DAYS}天后失效，失效或遗失请联系系统管理员重置。"]
    )
    if settings.FIRST_LOGIN_SMS:
        rows.append(["首次登录时，系统向代表登记的手机发送6位验证码，输入后才能设置密码；验证码请勿告诉他人。"])
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The two forms of the 开通单: a list for the township's records, or a page per deputy to hand over.
FORMATS = {"xlsx": "Excel 开通单（每人一行，供乡镇留存）", "docx": "Word 开通通知书（每人一页，打印后交代表本人）"}


def _format(request: HttpRequest) -> str:
    """The form of 开通单 asked for; checked before anything is written (the passwords are in that file only)."""
    chosen = request.POST.get("format", "xlsx")
    if chosen not in FORMATS:
        raise ValidationError("开通单格式只能是 Excel 开通单或 Word 开通通知书，请重新选择后确认。")
    return chosen


def _handing_over(request: HttpRequest, make: Callable[..., list[Handover]]) -> Callable[[str], HttpResponse]:
    """The confirmation of a step that answers a 开通单: the form asked for checked first (nothing written if it is
    not offered), then `make` writes the accounts' new passwords, then the file holds them."""

    def act(confirmed: str) -> HttpResponse:
        chosen = _format(request)
        return _sheet_response(request, make(actor=request.user, confirmed=confirmed), chosen)

    return act


# What a page whose step answers a 开通单 says of the file.
HANDOVER_FILE: dict[str, Any] = {"download": "开通单已在下载；下载完成后请刷新本页", "formats": FORMATS}


def _sheet_response(request: HttpRequest, handovers: list[Handover], chosen: str) -> HttpResponse:
    """The 开通单 as the answer of the confirming POST (never cached: the passwords are in it, and nowhere else)."""
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    if chosen == "docx":
        login = reverse("accounts:login")
        site = settings.SITE_URL.rstrip("/")
        url = f"{site}{login}" if site else request.build_absolute_uri(login)
        response = HttpResponse(handover_letters(handovers, login_url=url), content_type=DOCX_TYPE)
        response["Content-Disposition"] = attachment_header(f"代表账号开通通知书-{stamp}.docx")
    else:
        response = HttpResponse(handover_sheet(handovers), content_type=XLSX_TYPE)
        response["Content-Disposition"] = attachment_header(f"代表账号开通单-{stamp}.xlsx")
    add_never_cache_headers(response)
    return response


@_batch_view(lambda user: user.role == Role.SYSTEM_ADMIN, "只有系统管理员可以开通账号。")
def accounts_open(request: HttpRequest) -> HttpResponse:
    """System administrator: the deputies waiting for a login; POST makes their accounts and answers the 开通单."""

    def build() -> Batch:
        # The list's condition (an anti-join over a province's logins) is read once: the ids in their order, then
        # the rows shown by id.
        waiting = waiting_deputies()
        ids = list(waiting.values_list("pk", flat=True)[:BATCH_MAX])
        shown = _shown(ids)
        first = first_requests(ids[:SHOWN])
        phones = _phones(ids)
        rows = [
            [
                shown[pk].name,
                pk,
                shown[pk].region.name if shown[pk].region_id else "",
                first[pk][1],
                _when(first[pk][0]),
                username_for(pk),
                _sms_check(pk not in phones.missing, phones.changed.get(pk)),
            ]
            for pk in ids[:SHOWN]
        ]
        return Batch(
            title="开通代表账号",
            headers=["代表姓名", "代表编号", "乡镇（街道）", "申请人", "申请时间", "用户名", "首次登录短信验证"],
            rows=rows,
            ids=ids,
            count=waiting.count() if len(ids) == BATCH_MAX else len(ids),
            intro="以下代表的登录账号已由市、乡人大工作人员申请。确认后为每人创建账号（用户名如下，已被占用的加后缀），"
            f"并下载开通单：每个账号的一次性密码只在开通单中出现这一次，{HANDOVER_DAYS}天内有效，首次登录须修改。"
            "请把开通单交申请人当面转交代表本人；账号创建后由安全管理员分配角色。",
            button="确认开通并下载开通单",
            empty="没有待开通的代表账号。市、乡人大工作人员申请开通后，名单显示在这里（已有登录账号或已没有代表资格的代表不列出）。",
            back=(reverse("accounts:user_list"), "用户管理"),
            note=f"{_phone_note(phones)}一次最多开通{BATCH_MAX}个（按申请先后）；其余的，开通后本页继续列出。"
            "下载完成后请刷新本页。",
            links=[(reverse("deputies:accounts_renew"), "重新生成已过期的开通单")],
            **HANDOVER_FILE,
        )

    return _page(request, build, _handing_over(request, deputy_accounts_create))


@_batch_view(lambda user: user.role == Role.SYSTEM_ADMIN, "只有系统管理员可以重新生成开通单。")
def accounts_renew(request: HttpRequest) -> HttpResponse:
    """System administrator: the deputies' accounts whose one-time password expired unused; POST gives them new ones
    and answers the 开通单."""

    def build() -> Batch:
        expired = expired_slips()
        listed = list(expired.values_list("pk", "deputy_id", "username", "password_one_time_until")[:BATCH_MAX])
        deputy_ids = [deputy_id for _pk, deputy_id, _u, _at in listed]
        shown, phones = _shown(deputy_ids), _phones(deputy_ids)
        rows = [
            [
                username,
                shown[d].name,
                d,
                shown[d].region.name if shown[d].region_id else "",
                _when(at),
                _sms_check(d not in phones.missing, phones.changed.get(d)),
            ]
            for _pk, d, username, at in listed[:SHOWN]
        ]
        return Batch(
            title="重新生成开通单",
            headers=["用户名", "代表姓名", "代表编号", "乡镇（街道）", "一次性密码失效于", "首次登录短信验证"],
            rows=rows,
            ids=[pk for pk, *_rest in listed],
            count=expired.count() if len(listed) == BATCH_MAX else len(listed),
            intro="以下代表账号的一次性密码已过期、未使用（开通单没有按时交到代表本人手中，或代表没有按时登录）。"
            f"确认后为每个账号重新生成一次性密码（{HANDOVER_DAYS}天内有效，原开通单作废），并下载新的开通单；用户名和角色不变。",
            button="确认重新生成并下载开通单",
            empty="没有开通单已过期的代表账号。",
            back=(reverse("deputies:accounts_open"), "开通代表账号"),
            note=f"{_phone_note(phones)}一次最多{BATCH_MAX}个；只丢失了个别开通单的，也可在用户管理中编辑该账号，"
            "设置新的初始密码。",
            unit="个",
            what="账号",
            **HANDOVER_FILE,
        )

    return _page(request, build, _handing_over(request, handovers_renew))


# The security administrator: the roles ---------------------------------------------------------------------------


@_batch_view(lambda user: user.role == Role.SECURITY_ADMIN, "只有安全管理员可以分配角色。")
def accounts_roles(request: HttpRequest) -> HttpResponse:
    """Security administrator: the deputies' new accounts without a role; POST gives each the role it calls for."""

    def act(confirmed: str) -> HttpResponse:
        count = deputy_roles_grant(actor=request.user, confirmed=confirmed)
        messages.success(request, f"已为{count}个代表账号分配角色，已记入审计日志。")
        return HttpResponseRedirect(reverse("deputies:accounts_roles"))

    def build() -> Batch:
        listed = roleless_deputy_logins()
        ids = list(listed.values_list("pk", flat=True)[:BATCH_MAX])
        shown = list(listed[:SHOWN])
        posts = group_posts(u.deputy_id for u in shown)
        rows = []
        for u in shown:
            role, group = suggested_role(u.deputy_id, posts)
            region = u.deputy.region.name if u.deputy.region_id else ""
            label = Role(role).label + (f"（{group.name}）" if group else "")
            rows.append([u.username, u.display_name, u.deputy_id, region, label])
        return Batch(
            title="为代表账号分配角色",
            headers=["用户名", "姓名", "代表编号", "乡镇（街道）", "将分配的角色"],
            rows=rows,
            ids=ids,
            count=listed.count() if len(ids) == BATCH_MAX else len(ids),
            intro="以下启用中的账号已关联代表本人（代表今天有代表资格），还没有角色。确认后按代表的职务分配："
            "代表小组组长、副组长为“代表小组组长”，小组联络员为“联络员”（所属小组为其小组），"
            "其他代表为“人大代表”（只看本人的数据）。",
            button="确认分配角色",
            empty="没有待分配角色的代表账号。其他未分配角色的账号，请在“角色与权限”中逐一分配。",
            back=(reverse("accounts:user_list") + f"?role={Role.UNASSIGNED}&is_active=true", "角色与权限"),
            note=f"一次最多{BATCH_MAX}个；不是代表的联络员等其他账号，请在“角色与权限”中逐一分配。",
            unit="个",
            what="账号",
        )

    return _page(request, build, act)
