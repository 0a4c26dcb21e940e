"""Checking a roster (rows → problems): every row against the rules and the database, writing nothing.

The outcome is a RosterResult: the problems found as (row, column, message), or, when there
are none, one RowPlan per row saying what applying it will do (create, update, unchanged).
The update semantics are described in deputyhome.deputies.roster.

A row of our own ledger names its deputy by 系统编号; its ID number and phone may then be masked
as the ledger writes them (4228**********123X, 138****5678). A masked value is never written: it
must be the mask of the stored value (otherwise the row is refused: a changed mask is a mistake,
or the file is out of date), and the stored value stays as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from deputyhome.core.masking import mask_id_number, mask_phone
from deputyhome.organisation.models import Congress, DeputyGroup, Region

from .choices import Gender, MandateStatus
from .models import Deputy, GroupMembership, Mandate
from .roster_columns import (
    BY_KEY,
    GENDERS,
    LEVEL_LABEL,
    ROW_ID_HEADER,
    BirthDateError,
    clean_key,
    clean_name,
    clean_text,
    format_birth,
    parse_birth,
    parse_constituency,
    parse_levels,
    parse_row_id,
)
from .roster_lookups import Lookups
from .roster_reading import BadCell, Table
from .validators import id_number_problem, normalise_phone, validate_phone

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class Issue:
    row: int
    column: str  # the column header in Chinese ("" for the row as a whole)
    message: str
    letter: str = ""

    def __str__(self) -> str:
        where = f"第{self.row}行「{self.column}」" if self.column else f"第{self.row}行"
        return f"{where}：{self.message}"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    """What one valid row will do."""

    row: int
    name: str
    id_number: str
    action: str = "create"  # create | update | unchanged
    deputy: Deputy | None = None
    deputy_data: dict[str, Any] = field(default_factory=dict)  # all fields (create) or the changed ones
    group: DeputyGroup | None = None
    township: Region | None = None
    move_from: GroupMembership | None = None  # the membership to end when the group changes
    join_group: bool = False
    new_mandates: list[tuple[Congress, str]] = field(default_factory=list)
    fixed_mandates: list[tuple[Mandate, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"create": "新增", "update": "更新", "unchanged": "无变化"}[self.action]


@dataclass
class RosterResult:
    filename: str
    file_error: str = ""
    issues: list[Issue] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.issues and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def preview_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action != "unchanged"][:PREVIEW_ROWS]


_TEXT_FIELDS = {
    # key: (model field, max length, required)
    "ethnicity": ("ethnicity", 20, True),
    "party": ("party", 20, True),
    "education": ("education", 20, False),
    "employer_title": ("employer_title", 200, False),
}


def _field_label(name: str) -> str:
    return str(Deputy._meta.get_field(name).verbose_name)


def _shown(name: str, value: Any) -> str:
    if name == "gender":
        return Gender(value).label if value else ""
    if name == "birth_date":
        return format_birth(value)
    if name == "phone":  # the stored number is shown masked, as on the pages; the new one is the file's
        return mask_phone(value or "")
    return str(value or "")


MASKED_FILE = (
    f"这份名册的身份证号已脱敏（含*号），又没有「{ROW_ID_HEADER}」列，无法确定每行对应的代表：请从本系统重新导出名册"
    f"（导出的名册带有「{ROW_ID_HEADER}」列，请勿删除），修改后再导入。"
)


def _row_ids(table: Table) -> list[int]:
    """The 系统编号 of the rows that carry a valid one (the rest are reported when their row is checked)."""
    index = table.columns.get("row_id")
    found = []
    for _, values in table.rows:
        try:
            pk = parse_row_id(values[index]) if index is not None and index < len(values) else None
        except ValueError:
            continue
        if pk is not None:
            found.append(pk)
    return found


def check_table(table: Table, *, actor, filename: str) -> RosterResult:
    """Check every row against the rules and the database; write nothing."""
    result = RosterResult(filename=filename)
    raw_ids = []
    id_col = table.columns["id_number"]
    for _, values in table.rows:
        raw_ids.append(clean_key(values[id_col] if id_col < len(values) else "").upper())
    present = [i for i in raw_ids if i]
    if "row_id" not in table.columns and present and all("*" in i for i in present):
        result.file_error = MASKED_FILE
        return result
    look = Lookups(actor, [i for i in raw_ids if "*" not in i], _row_ids(table))
    first_row_of: dict[str, int] = {}
    first_row_of_id: dict[int, int] = {}
    for number, values in table.rows:
        issues: list[Issue] = []
        plan = _check_row(number, values, table, look, (first_row_of, first_row_of_id), issues)
        result.issues.extend(issues)
        if plan is not None and not issues:
            result.rows.append(plan)
    if result.issues:
        result.rows = []
    return result


def _check_row(
    number: int,
    values: list[Any],
    table: Table,
    look: Lookups,
    seen: tuple[dict[str, int], dict[int, int]],
    issues: list[Issue],
) -> RowPlan | None:
    def raw(key: str) -> Any:
        index = table.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def fail(key: str, message: str) -> None:
        if len(message) > 300:  # messages quote cell values; a cell may hold anything
            message = message[:300] + "…"
        issues.append(Issue(number, BY_KEY[key].header, message, table.letters.get(key, "")))

    # A formula or an error value is reported as such; the rest of the row is checked once it is a value.
    bad = False
    for key in table.columns:
        value = raw(key)
        if isinstance(value, BadCell):
            fail(key, value.message)
            bad = True
    if bad:
        return None

    present = table.columns.keys()
    data: dict[str, Any] = {}

    name = clean_name(raw("name"))
    if not name:
        fail("name", "必填")
    elif len(name) > 50:
        fail("name", "不能超过50个字")
    data["name"] = name

    gender = clean_key(raw("gender"))
    if not gender:
        fail("gender", "必填，填“男”或“女”")
    elif gender not in GENDERS:
        fail("gender", f"「{gender}」无效，填“男”或“女”")
    else:
        data["gender"] = GENDERS[gender]

    for key, (model_field, limit, required) in _TEXT_FIELDS.items():
        if key not in present:
            continue
        text = clean_text(raw(key))
        if required and not text:
            fail(key, "必填")
        elif len(text) > limit:
            fail(key, f"不能超过{limit}个字")
        data[model_field] = text

    # The deputy, then the ID number, before the birth month: the month of a number like 1975.1 depends on it.
    by_row = _by_row_id(number, raw("row_id") if "row_id" in present else None, look, seen[1], fail)
    row_id_bad = any(i.column == ROW_ID_HEADER for i in issues)  # then masked values need no second message
    id_number = _id_number(number, raw("id_number"), by_row, seen[0], fail, quiet=row_id_bad)
    id_birth = None
    if id_number and not id_number_problem(id_number):
        id_birth = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    data["id_number"] = id_number

    birth = None
    try:
        birth = parse_birth(raw("birth"), id_birth)
    except BirthDateError as exc:
        fail("birth", str(exc))
    if birth is not None:
        data["birth_date"] = birth.date
        if id_birth is not None and (birth.date.year, birth.date.month) != (id_birth.year, id_birth.month):
            fail("birth", f"与身份证号中的出生年月（{id_birth.year}年{id_birth.month}月）不一致")

    if "phone" in present:
        phone = normalise_phone(clean_text(raw("phone")))
        if "*" not in phone:
            try:
                validate_phone(phone)
            except ValidationError as exc:
                fail("phone", exc.messages[0].rstrip("。"))
            else:
                if len(phone) > 20:
                    fail("phone", "过长")
            data["phone"] = phone
        elif by_row is None:
            if not row_id_bad:
                fail("phone", "联系电话已脱敏（含*号）：新增代表或不带系统编号的行请填写完整号码")
        elif phone != mask_phone(by_row.phone):
            fail(
                "phone",
                "联系电话已脱敏（含*号），且与系统中的号码不符：要修改号码请填写完整的新号码，否则请保持导出时的内容",
            )
        # A masked phone that matches is left out of `data`: the stored number is neither compared nor written.

    levels: list[str] = []
    try:
        levels = parse_levels(raw("levels"))
    except ValueError as exc:
        fail("levels", str(exc))

    constituencies: dict[str, str] = {}
    if "constituency" in present and levels:
        try:
            constituencies = parse_constituency(raw("constituency"), levels)
        except ValueError as exc:
            fail("constituency", str(exc))
        if any(len(c) > 100 for c in constituencies.values()):
            fail("constituency", "不能超过100个字")

    group = township = None
    group_name = clean_key(raw("group"))
    if not group_name:
        fail("group", "必填：每位代表须编入一个代表小组")
    elif (group := look.groups.get(group_name)) is None:
        fail("group", f"没有名为「{clean_text(raw('group'))}」的代表小组（须与系统中的小组名称完全一致）")
    elif group.pk not in look.groups_in_scope:
        fail("group", "小组不在您的管辖范围内")
        group = None
    else:
        township = look.township_of(group)
        given = clean_key(raw("township"))
        if given and (township is None or given != clean_key(township.name)):
            where = township.name if township else "未设置乡镇"
            fail("township", f"「{given}」与所在小组所属乡镇（{where}）不一致")

    congresses: dict[str, Congress] = {}
    if group is not None:
        for level in levels:
            congress, problem = look.congress_for(level, township)
            if congress is None:
                fail("levels", problem)
            else:
                congresses[level] = congress

    deputy = by_row or (look.deputies.get(id_number) if id_number else None)
    if deputy is not None and by_row is None:
        if deputy.pk not in look.deputies_in_scope:
            fail("id_number", "该身份证号的代表不在您的管辖范围内")
        elif name and clean_name(deputy.name) != name:
            fail("id_number", f"身份证号已属于代表 {deputy.name}")
    elif by_row is not None and name and clean_name(by_row.name) != name:
        fail("name", f"与系统编号{by_row.pk}的代表（{by_row.name}）不符：导入不更改姓名，请勿修改系统编号")
    if issues:
        return None

    plan = RowPlan(row=number, name=name, id_number=id_number, group=group, township=township, deputy=deputy)
    if deputy is None:
        plan.deputy_data = {
            "education": "",
            "employer_title": "",
            "phone": "",
            **data,
            "region": township,
        }
        plan.new_mandates = [(congresses[lv], constituencies.get(lv, "")) for lv in levels]
        plan.join_group = True
        return plan

    _compare(plan, deputy, data, birth, levels, congresses, constituencies, "constituency" in present, look, fail)
    if issues:
        return None
    plan.action = "update" if plan.changes else "unchanged"
    return plan


def _by_row_id(number: int, value: Any, look: Lookups, first_row_of_id: dict[int, int], fail) -> Deputy | None:
    """The deputy a row names by its 系统编号, in the user's scope, or None (an empty cell, or a problem reported)."""
    try:
        pk = parse_row_id(value)
    except ValueError as exc:
        fail("row_id", str(exc))
        return None
    if pk is None:
        return None
    if pk in first_row_of_id:
        fail("row_id", f"与第{first_row_of_id[pk]}行的系统编号重复")
        return None
    first_row_of_id[pk] = number
    deputy = look.by_pk.get(pk)
    if deputy is None or deputy.pk not in look.deputies_in_scope:
        # One message for both: the import does not tell which ids exist outside the user's scope.
        fail("row_id", f"没有系统编号为{pk}的代表，或该代表不在您的管辖范围内")
        return None
    return deputy


def _id_number(
    number: int, value: Any, by_row: Deputy | None, first_row_of: dict[str, int], fail, quiet: bool = False
) -> str:
    """The row's ID number in full ("" when it has a problem, reported): as typed, or the stored one of the
    deputy named by 系统编号 when the file carries its mask."""
    id_number = clean_key(value).upper()
    if not id_number:
        fail("id_number", "必填")
        return ""
    if "*" in id_number:
        if by_row is None:
            if not quiet:
                fail(
                    "id_number",
                    "身份证号已脱敏（含*号）：只有带系统编号的行可以保留脱敏的身份证号，新增代表请填写完整身份证号",
                )
            return ""
        if id_number != mask_id_number(by_row.id_number):
            fail("id_number", f"身份证号已脱敏（含*号），且与系统编号{by_row.pk}的代表不符：请勿修改脱敏的身份证号")
            return ""
        id_number = by_row.id_number
    elif problem := id_number_problem(id_number):
        hint = (
            "（该单元格是数字格式，Excel 只保留15位有效数字：请把该列设为文本后重新录入）"
            if isinstance(value, (int, float))
            else ""
        )
        fail("id_number", problem + hint)
        return ""
    elif by_row is not None and id_number != by_row.id_number:
        fail("id_number", f"与系统编号{by_row.pk}的代表的身份证号不符：导入不更改身份证号，请在代表信息中修改")
        return ""
    if id_number in first_row_of:
        fail("id_number", f"与第{first_row_of[id_number]}行的身份证号重复")
        return ""
    first_row_of[id_number] = number
    return id_number


def _compare(plan, deputy, data, birth, levels, congresses, constituencies, has_constituency, look, fail) -> None:
    """Fill the plan with the differences between a row and the stored deputy."""
    for name, new in data.items():
        if name in ("name", "id_number"):
            continue
        old = getattr(deputy, name)
        if name == "birth_date":
            same = birth.matches(old)
        elif name == "phone":
            same = normalise_phone(clean_text(old)) == new
        elif name == "gender":
            same = old == new
        else:
            same = clean_text(old) == new
        if not same:
            plan.deputy_data[name] = new
            shown_new = new if name == "phone" else _shown(name, new)  # the number typed in the file
            plan.changes.append(Change(_field_label(name), _shown(name, old), shown_new))

    mandates = look.mandates.get(deputy.pk, [])
    by_congress = {m.congress_id: m for m in mandates}
    for level in levels:
        congress = congresses[level]
        constituency = constituencies.get(level, "")
        mandate = by_congress.get(congress.pk)
        if mandate is None:
            plan.new_mandates.append((congress, constituency))
            plan.changes.append(Change("代表资格", "", f"{congress.name}（新增）"))
        elif mandate.status != MandateStatus.ACTIVE or (mandate.end_date and mandate.end_date < look.today):
            fail("levels", f"该代表在{congress.name}的代表资格已终止，导入不能恢复")
        elif has_constituency and clean_text(mandate.constituency) != constituency:
            plan.fixed_mandates.append((mandate, constituency))
            plan.changes.append(Change(f"选区（{LEVEL_LABEL[level]}级）", mandate.constituency, constituency))
    wanted = {c.pk for c in congresses.values()}
    for mandate in mandates:
        active = mandate.status == MandateStatus.ACTIVE and mandate.start_date <= look.today
        if (
            active
            and (mandate.end_date is None or mandate.end_date >= look.today)
            and mandate.congress_id not in wanted
        ):
            fail(
                "levels",
                f"该代表现任{mandate.congress.name}代表，名册中未列出；导入不终止代表资格，请在代表信息中办理",
            )

    memberships = look.memberships.get(deputy.pk, [])
    current = [m for m in memberships if m.start_date <= look.today]
    future = [m for m in memberships if m.start_date > look.today]
    if future:
        fail("group", f"该代表已安排自{future[0].start_date}起加入{future[0].group.name}，请先在代表信息中处理")
        return
    membership = current[-1] if current else None
    if membership is None:
        plan.join_group = True
        plan.changes.append(Change("所在小组", "", plan.group.name))
    elif membership.group_id != plan.group.pk:
        plan.move_from = membership
        plan.join_group = True
        plan.changes.append(Change("所在小组", membership.group.name, plan.group.name))
