"""The unified ledgers (统一台账): deputies, groups and stations as .xlsx, scoped to the user.

Each ledger has a title row ("恩施市人大代表名册（导出日期 2026-11-27）") above its header.
The deputies ledger has the roster import's columns plus 所属乡镇 and 系统编号 (the deputy's
row id), written the way the import reads them, so it imports again unchanged. ID numbers and
phones are masked for everyone, as on the pages: the import finds each deputy by 系统编号 and
keeps the values it holds. The file with them in full (`deputies_full_file`) is an export of
its own: the right to reveal them, a reason and a confirmation (`core.exports.confirmed_export_view`).

The register pages link here with their filters in the query string; the same filter
sets narrow the ledger (never widen it: they run on the selector's scoped queryset).

Who may export is the permission `exports.deputies` / `exports.groups` / `exports.stations` in
`core/exports.py`; the views go through its signed, expiring links, which write the audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from deputyhome.accounts import export_rights
from deputyhome.accounts.choices import ScopeKind
from deputyhome.core import exports
from deputyhome.core.exports import ExportFile, in_chunks
from deputyhome.core.xlsx import StreamedSheet, safe_sheet, streamed_workbook, titled_sheet, workbook_bytes
from deputyhome.organisation.models import Region
from deputyhome.organisation.selectors import group_list, home_region, station_list

from .choices import Gender, GroupRole, MandateStatus
from .models import GroupMembership, Mandate, active_on
from .roster_columns import (
    IMPORT_HEADERS,
    LEDGER_HEADERS,
    format_birth,
    format_constituency,
    format_levels,
)
from .selectors import deputy_list
from .validators import mask_id_number, mask_phone

XLSX_TYPE = exports.XLSX_TYPE

GROUP_HEADERS = ["名称", "所在站点", "所属乡镇", "组长", "副组长", "联络员", "成员数", "成立日期"]
STATION_HEADERS = ["名称", "类型", "所属乡镇", "所在区域", "地址", "联系电话", "接待时间", "小组数"]


@dataclass
class Ledger:
    content: bytes
    filename: str
    rows: int
    content_type: str = XLSX_TYPE


def _place(user) -> str:
    """Whose ledger it is: the user's township for township staff, otherwise the city."""
    if user.scope_kind == ScopeKind.REGION and user.region_id:
        return user.region.name
    city = home_region()
    return city.name if city else ""


def _heading(user, what: str, filtered: bool = False) -> tuple[str, str]:
    today = timezone.localdate()
    place = _place(user)
    note = "，按条件筛选" if filtered else ""
    return f"{place}{what}（导出日期 {today:%Y-%m-%d}{note}）", f"{place}{what}-{today:%Y%m%d}.xlsx"


def _filtered(queryset: QuerySet, filterset_class, params, user) -> tuple[QuerySet, bool]:
    """Apply a register page's filters (from its query string) to a scoped queryset."""
    if not params or not any(v for k, v in params.items() if k not in ("sort", "page")):
        return queryset, False
    filterset = filterset_class(params, queryset=queryset, user=user)
    if not filterset.is_valid():
        return queryset, False
    return filterset.qs, True


def _townships() -> dict[int, Region]:
    """Region pk → its township-level unit, from one query (regions are a few hundred rows)."""
    regions = list(Region.objects.only("id", "code", "name", "kind"))
    by_code = {r.code: r for r in regions}
    return {r.pk: by_code.get(r.code[:9]) for r in regions if len(r.code) >= 9}


def deputies_count(*, user, params=None) -> int:
    """How many deputies the ledger of `user` with these filters holds (the full export's confirmation page)."""
    from .filters import DeputyFilter

    deputies, _filtered_ = _filtered(deputy_list(user=user), DeputyFilter, params, user)
    return deputies.count()


DEPUTY_COLUMNS = (
    "pk",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "employer_title",
    "phone",
    "id_number",
    "region__name",
)


def deputies_workbook(*, user, params=None, full: bool = False) -> tuple[bytes, str, int]:
    """The deputies ledger; ID numbers and phones masked unless `full` (the caller checked the right).

    Streamed: the deputies come in chunks of plain values, their mandates and groups of the day are fetched
    once per chunk (two queries per 2,000 deputies), and the rows go to a write-only workbook."""
    from .filters import DeputyFilter

    today = timezone.localdate()
    deputies, filtered = _filtered(deputy_list(user=user, on=today), DeputyFilter, params, user)
    heading, filename = _heading(user, FULL_TITLE if full else "人大代表名册", filtered)
    workbook = streamed_workbook()
    widths = [10, 5, 8, 10, 12, 8, 30, 10, 20, 24, 14, 20, 12, 10]
    sheet = StreamedSheet(workbook, "人大代表", heading, LEDGER_HEADERS, widths)
    genders = {k: str(v) for k, v in Gender.choices}  # in the request's language, once
    townships = {pk: region.name for pk, region in _townships().items() if region is not None}
    rows = deputies.prefetch_related(None).order_by("region__code", "name", "id").values_list(*DEPUTY_COLUMNS)
    count = 0
    for chunk in in_chunks(rows.iterator(chunk_size=exports.CHUNK)):
        pks = [row[0] for row in chunk]
        levels_of, group_of = _posts(pks, today)
        for pk, name, gender, ethnicity, birth, party, education, employer, phone, id_number, region in chunk:
            group = group_of.get(pk)
            levels = levels_of.get(pk, {})
            sheet.append(
                [
                    name,
                    genders.get(gender, gender),
                    ethnicity,
                    format_birth(birth),
                    party,
                    education,
                    employer,
                    format_levels(levels),
                    format_constituency(levels),
                    group[0] if group else "",
                    phone if full else mask_phone(phone),
                    id_number if full else mask_id_number(id_number),
                    (townships.get(group[1], "") if group else region) or "",
                    pk,
                ]
            )
            count += 1
    return workbook_bytes(workbook), filename, count


def _posts(pks: list[int], today) -> tuple[dict[int, dict[str, str]], dict[int, tuple[str, int]]]:
    """For these deputies: {level: constituency} of the mandates in force today (as `current_levels`), and
    (name, station region) of the current group (the latest started, as the pages show it)."""
    levels: dict[int, dict[str, str]] = {}
    mandates = Mandate.objects.filter(active_on(today), deputy_id__in=pks, status=MandateStatus.ACTIVE)
    for deputy_id, level, constituency in mandates.values_list("deputy_id", "congress__level", "constituency"):
        levels.setdefault(deputy_id, {}).setdefault(level, constituency)
    groups: dict[int, tuple[str, int]] = {}
    memberships = GroupMembership.objects.filter(active_on(today), deputy_id__in=pks).order_by("start_date", "id")
    for deputy_id, group, region in memberships.values_list("deputy_id", "group__name", "group__station__region_id"):
        groups[deputy_id] = (group, region)
    return levels, groups


class _Ledger:
    """A register's ledger: its rows narrowed by the register's filters (`params`), and one titled sheet."""

    def __init__(
        self, user, params, rows: QuerySet, filterset_class, what: str, name: str, headers: list, widths: list
    ) -> None:
        self.rows, filtered = _filtered(rows, filterset_class, params, user)
        heading, self.filename = _heading(user, what, filtered)
        self.workbook = Workbook()
        self.sheet = titled_sheet(self.workbook.active, name, heading, headers, widths)

    def done(self, count: int) -> tuple[bytes, str, int]:
        return workbook_bytes(self.workbook), self.filename, count


def groups_workbook(*, user, params=None) -> tuple[bytes, str, int]:
    from deputyhome.organisation.filters import GroupFilter

    widths = [26, 26, 12, 12, 16, 12, 8, 12]
    ledger = _Ledger(
        user, params, group_list(user=user), GroupFilter, "代表小组台账", "代表小组", GROUP_HEADERS, widths
    )
    sheet, townships = ledger.sheet, _townships()
    groups = list(ledger.rows.order_by("station__region__code", "name"))
    officers: dict[tuple[int, str], list[str]] = {}
    roles = [GroupRole.LEADER, GroupRole.VICE_LEADER, GroupRole.LIAISON]
    held = GroupMembership.objects.filter(active_on(timezone.localdate()), group__in=groups, role__in=roles)
    for membership in held.select_related("deputy").order_by("start_date", "id"):
        officers.setdefault((membership.group_id, membership.role), []).append(membership.deputy.name)
    for group in groups:
        township = townships.get(group.station.region_id)
        safe_sheet(sheet).append(
            [
                group.name,
                group.station.name,
                township.name if township else "",
                *("、".join(officers.get((group.pk, role), [])) for role in roles),
                group.member_count,
                group.founded_on,
            ]
        )
    return ledger.done(len(groups))


def stations_workbook(*, user, params=None) -> tuple[bytes, str, int]:
    from deputyhome.organisation.filters import StationFilter

    widths = [28, 14, 12, 14, 30, 14, 24, 8]
    what = "代表之家及联络站台账"
    ledger = _Ledger(user, params, station_list(user=user), StationFilter, what, "家站", STATION_HEADERS, widths)
    sheet, townships = ledger.sheet, _townships()
    stations = list(ledger.rows.order_by("region__code", "kind", "name"))
    for station in stations:
        township = townships.get(station.region_id)
        safe_sheet(sheet).append(
            [
                station.name,
                station.get_kind_display(),
                township.name if township else "",
                station.region.name,
                station.address,
                station.phone,
                station.reception_hours,
                station.group_count,
            ]
        )
    return ledger.done(len(stations))


_BUILDERS = {"deputies": deputies_workbook, "groups": groups_workbook, "stations": stations_workbook}
KINDS = {
    "deputies": export_rights.DEPUTIES,
    "deputies_full": export_rights.DEPUTIES_FULL,
    "groups": export_rights.GROUPS,
    "stations": export_rights.STATIONS,
}
FULL_TITLE = "人大代表名册（完整身份证号和手机号）"


def ledger_file(*, kind: str, actor, params=None) -> ExportFile:
    """Build one ledger for `actor`, narrowed by a register page's filters (no audit row: see ledger_export).

    The deputies ledger is masked, whoever asks: the full one is `deputies_full_file`."""
    content, filename, rows = _BUILDERS[kind](user=actor, params=params)
    return ExportFile(
        content=content,
        filename=filename,
        rows=rows,
        filters=dict(params or {}),
        extra={"masked": True} if kind == "deputies" else {},
    )


def deputies_full_file(*, actor, params=None, reason: str) -> ExportFile:
    """The deputies ledger with full ID numbers and phones: only for a role with the right, with a reason."""
    if not exports.may_export(actor, export_rights.DEPUTIES_FULL):
        raise PermissionDenied("您的角色无权导出完整的身份证号和手机号。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(exports.REASON_REQUIRED)
    content, filename, rows = deputies_workbook(user=actor, params=params, full=True)
    return ExportFile(
        content=content,
        filename=filename,
        rows=rows,
        filters=dict(params or {}),
        extra={"masked": False, "reason": reason},
    )


def ledger_export(*, kind: str, actor, params=None, reason: str = "") -> ExportFile:
    """Build one ledger and write its audit row in the same transaction, outside a download (the views use
    `export_view` and `confirmed_export_view`). `kind` "deputies_full" needs the right and a reason."""
    with transaction.atomic():
        if kind == "deputies_full":
            file = deputies_full_file(actor=actor, params=params, reason=reason)
        else:
            file = ledger_file(kind=kind, actor=actor, params=params)
        exports.record_export(actor=actor, kind=KINDS[kind], file=file)
    return file


def roster_template() -> Ledger:
    """An empty import template: the header row, text-formatted columns, and a sheet of notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名册"
    sheet.append(IMPORT_HEADERS)
    widths = {
        "姓名": 10,
        "出生年月": 10,
        "工作单位及职务": 30,
        "选区": 20,
        "所在小组": 24,
        "联系电话": 14,
        "身份证号": 20,
    }
    text_columns = {"出生年月", "联系电话", "身份证号"}
    for index, header in enumerate(IMPORT_HEADERS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = widths.get(header, 9)
        if header in text_columns:
            # Text format keeps 18-digit ID numbers and "1975.10" exactly as typed.
            for row in range(2, 1502):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    for line in NOTES:
        notes.append(line)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    return Ledger(content=workbook_bytes(workbook), filename="人大代表名册导入模板.xlsx", rows=0)


NOTES = [
    ("列", "填写要求"),
    ("姓名", "必填"),
    ("性别", "必填，男或女"),
    ("民族", "必填，如 土家族、汉族、苗族"),
    ("出生年月", "必填，如 1975.03、1975年3月、1975-03-15；须与身份证号中的出生年月一致"),
    ("政治面貌", "必填，如 中共党员、群众、无党派人士"),
    ("文化程度", "选填，如 大学、大专"),
    ("工作单位及职务", "选填"),
    ("代表层级", "必填，省、州、市、乡中的一项或多项，用顿号分隔，如 市、乡"),
    ("选区", "选填；各层级选区不同时写作 市：第3选区；乡：第5选区"),
    ("所在小组", "必填，须与系统中的代表小组名称一致"),
    ("联系电话", "选填，手机号11位或固定电话如 0718-8888888"),
    ("身份证号", "必填，18位，末位X可大小写"),
    ("所属乡镇", "选填（导出名册带有此列）；填写时须与所在小组所属乡镇一致"),
    (
        "系统编号",
        "导出名册带有此列，导入时据此找到对应的代表，请勿修改；新增代表留空。"
        "带系统编号的行可以保留脱敏的身份证号和电话（含*号），导入不会改动它们",
    ),
]
