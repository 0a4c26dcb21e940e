"""The unified ledgers: contents, scope, masking, audit rows, and the round trip through the import."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from deputyhome.audit.models import AuditEvent
from deputyhome.core.masking import mask_id_number, mask_phone
from deputyhome.deputies.ledgers import GROUP_HEADERS, STATION_HEADERS, ledger_export, roster_template
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.deputies.roster import IMPORT_HEADERS, LEDGER_HEADERS, roster_import, roster_preview
from deputyhome.organisation.models import DeputyGroup

from .test_roster_files import messy, messy_xlsx, people, xlsx_rows

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Deputy.objects.values_list("id_number", "name", "gender", "ethnicity", "birth_date", "party", "phone")),
        sorted(Mandate.objects.values_list("deputy_id", "congress_id", "constituency", "start_date", "end_date")),
        sorted(GroupMembership.objects.values_list("deputy_id", "group_id", "role", "start_date", "end_date")),
    )


def test_deputy_ledger_contents(city, personas):
    ledger = ledger_export(kind="deputies", actor=personas["city"])
    rows = xlsx_rows(ledger.content)
    today = timezone.localdate()
    assert rows[0][0] == f"恩施市人大代表名册（导出日期 {today:%Y-%m-%d}）"
    assert rows[1] == LEDGER_HEADERS
    assert len(rows) == 2 + 8
    by_name = {r[0]: dict(zip(LEDGER_HEADERS, r, strict=True)) for r in rows[2:]}
    first_b = city.deputies_b[0]
    row = by_name[first_b.name]
    assert row["代表层级"] == "市、乡"
    assert row["选区"] == "市：白杨坪镇第1选区"
    assert row["所在小组"] == city.group_b.name
    assert row["所属乡镇"] == "白杨坪镇"
    assert row["系统编号"] == first_b.pk
    # Masked for everyone, the city officer included; the full values need the full export.
    assert row["身份证号"] == mask_id_number(first_b.id_number)
    assert row["联系电话"] == mask_phone(first_b.phone)
    assert row["出生年月"] == "1975.03"
    assert row["性别"] == first_b.get_gender_display()
    assert by_name[city.deputies_a[1].name]["代表层级"] == "市"
    assert ledger.filename.endswith(".xlsx")
    full = ledger_export(kind="deputies_full", actor=personas["city"], reason="换届资格审查")
    rows = xlsx_rows(full.content)
    assert "完整身份证号和手机号" in rows[0][0]
    row = {r[0]: dict(zip(LEDGER_HEADERS, r, strict=True)) for r in rows[2:]}[first_b.name]
    assert (row["身份证号"], row["联系电话"], row["系统编号"]) == (first_b.id_number, first_b.phone, first_b.pk)


@pytest.mark.parametrize("kind", ["deputies", "deputies_full"])
def test_export_then_reimport_changes_nothing(city, personas, kind):
    before = snapshot()
    ledger = ledger_export(kind=kind, actor=personas["city"], reason="核对")
    audit_before = AuditEvent.objects.count()

    result = roster_import(content=ledger.content, filename=ledger.filename, actor=personas["city"])

    assert result.issues == [] and not result.file_error
    assert (result.created, result.updated, result.unchanged) == (0, 0, 8)
    assert snapshot() == before
    # Only the summary row of the import itself.
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[audit_before:] == ["roster.import"]


def test_a_messy_import_exported_and_reimported_is_unchanged(city, personas):
    rows = [messy(p, k) for k, p in enumerate(people(city, 60))]
    assert roster_import(content=messy_xlsx(rows), filename="a.xlsx", actor=personas["city"]).applied
    before = snapshot()
    for user in (personas["city"], personas["township_b"]):
        ledger = ledger_export(kind="deputies", actor=user)
        result = roster_import(content=ledger.content, filename="x.xlsx", actor=user)
        assert result.issues == []
        assert result.created == result.updated == 0
        assert result.unchanged == len(xlsx_rows(ledger.content)) - 2
    assert snapshot() == before


def test_edited_ledger_previews_the_changes(city, personas):
    ledger = ledger_export(kind="deputies", actor=personas["city"])
    wb = load_workbook(io.BytesIO(ledger.content))
    ws = wb.active
    headers = [c.value for c in ws[2]]
    phone = headers.index("联系电话") + 1
    ws.cell(row=3, column=phone).value = "13999999999"
    buffer = io.BytesIO()
    wb.save(buffer)
    result = roster_preview(content=buffer.getvalue(), filename="a.xlsx", actor=personas["city"])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 7)
    (changed,) = result.preview_rows
    assert changed.row == 3
    assert [(c.label, c.new) for c in changed.changes] == [("联系电话", "13999999999")]


def test_township_officer_exports_only_their_township(city, personas):
    rows = xlsx_rows(ledger_export(kind="deputies", actor=personas["township"]).content)
    assert rows[0][0].startswith("六角亭街道人大代表名册")
    names = {r[0] for r in rows[2:]}
    assert names == {d.name for d in city.deputies_a}
    assert {r[LEDGER_HEADERS.index("所属乡镇")] for r in rows[2:]} == {"六角亭街道"}
    groups = xlsx_rows(ledger_export(kind="groups", actor=personas["township"]).content)
    assert [r[0] for r in groups[2:]] == [city.group_a.name]
    stations = xlsx_rows(ledger_export(kind="stations", actor=personas["township"]).content)
    assert {r[0] for r in stations[2:]} == {city.home_a.name, city.station_a.name}


def test_masked_ledger_for_every_role_and_a_masked_row_needs_its_row_id(city, personas):
    rows = xlsx_rows(ledger_export(kind="deputies", actor=personas["leader"]).content)
    assert len(rows) == 2 + 8
    id_col, phone_col = LEDGER_HEADERS.index("身份证号"), LEDGER_HEADERS.index("联系电话")
    row_col = LEDGER_HEADERS.index("系统编号")
    for row in rows[2:]:
        assert "*" in row[id_col]
        assert "****" in row[phone_col]
    assert AuditEvent.objects.get(action="export.deputies").changes["masked"] is True
    # A masked ledger without its 系统编号 column is refused as a whole; a single masked row without its
    # 系统编号 is named, by row and column.
    wb = load_workbook(io.BytesIO(ledger_export(kind="deputies", actor=personas["leader"]).content))
    wb.active.delete_cols(row_col + 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = roster_preview(content=buffer.getvalue(), filename="a.xlsx", actor=personas["city"])
    assert "脱敏" in result.file_error and "系统编号" in result.file_error
    wb = load_workbook(io.BytesIO(ledger_export(kind="deputies_full", actor=personas["city"], reason="r").content))
    wb.active.cell(row=4, column=id_col + 1).value = rows[3][id_col]
    wb.active.cell(row=4, column=phone_col + 1).value = rows[3][phone_col]
    wb.active.cell(row=4, column=row_col + 1).value = None
    buffer = io.BytesIO()
    wb.save(buffer)
    result = roster_preview(content=buffer.getvalue(), filename="a.xlsx", actor=personas["city"])
    assert {(i.row, i.column) for i in result.issues} == {(4, "身份证号"), (4, "联系电话")}
    assert all("脱敏" in i.message for i in result.issues)


def test_group_leader_exports_their_group(city, personas):
    rows = xlsx_rows(ledger_export(kind="deputies", actor=personas["group"]).content)
    assert {r[0] for r in rows[2:]} == {d.name for d in city.deputies_a}


def test_group_ledger_contents(city, personas):
    DeputyGroup.objects.filter(pk=city.group_b.pk).update(founded_on=datetime.date(2026, 4, 10))
    rows = xlsx_rows(ledger_export(kind="groups", actor=personas["city"]).content)
    assert rows[0][0].startswith("恩施市代表小组台账（导出日期")
    assert rows[1] == GROUP_HEADERS
    by_name = {r[0]: dict(zip(GROUP_HEADERS, r, strict=True)) for r in rows[2:]}
    row = by_name[city.group_b.name]
    assert row["所在站点"] == city.station_b.name
    assert row["所属乡镇"] == "白杨坪镇"
    assert row["组长"] == city.deputies_b[0].name
    assert row["副组长"] == city.deputies_b[1].name
    assert row["联络员"] == city.deputies_b[2].name
    assert row["成员数"] == 4
    assert row["成立日期"] == datetime.datetime(2026, 4, 10) and by_name[city.group_a.name]["成立日期"] is None
    assert AuditEvent.objects.filter(action="export.groups").count() == 1


def test_station_ledger_contents(city, personas):
    city.station_b.address = "白杨坪镇洞下槽村村委会"
    city.station_b.reception_hours = "每月10日"
    city.station_b.save()
    rows = xlsx_rows(ledger_export(kind="stations", actor=personas["city"]).content)
    assert rows[1] == STATION_HEADERS
    by_name = {r[0]: dict(zip(STATION_HEADERS, r, strict=True)) for r in rows[2:]}
    assert len(by_name) == 4
    row = by_name[city.station_b.name]
    assert row["类型"] == "人大代表联络站"
    assert row["所属乡镇"] == "白杨坪镇"
    assert row["所在区域"] == "洞下槽村"
    assert row["地址"] == "白杨坪镇洞下槽村村委会"
    assert row["接待时间"] == "每月10日"
    assert row["小组数"] == 1
    assert by_name[city.home_b.name]["小组数"] == 0
    assert by_name[city.home_b.name]["类型"] == "人大代表之家"
    event = AuditEvent.objects.get(action="export.stations")
    assert event.actor == personas["city"]
    assert event.changes["rows"] == 4


def test_template_has_the_header_row_and_a_filled_template_imports(city, personas):
    template = roster_template()
    rows = xlsx_rows(template.content)
    assert rows[0] == IMPORT_HEADERS
    wb = load_workbook(io.BytesIO(template.content))
    assert wb.sheetnames == ["代表名册", "填写说明"]
    person = people(city, 2)[0]
    cells = person.cells()
    wb.active.append([cells[h] for h in IMPORT_HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = roster_import(content=buffer.getvalue(), filename="模板.xlsx", actor=personas["city"])
    assert result.applied, [str(i) for i in result.issues]
    assert result.created == 1


# --- through the views


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("roster:export_deputies", "deputies"),
        ("roster:export_groups", "groups"),
        ("roster:export_stations", "stations"),
    ],
)
def test_export_views(city, personas, login, name, kind):
    response = login(personas["township"]).get(reverse(name), follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value
    assert AuditEvent.objects.filter(action=f"export.{kind}", actor=personas["township"]).count() == 1


def test_export_view_applies_the_register_filters(city, personas, login):
    url = reverse("roster:export_deputies") + f"?group={city.group_b.pk}"
    rows = xlsx_rows(login(personas["city"]).get(url, follow=True).content)
    assert "筛选" in rows[0][0]
    assert {r[0] for r in rows[2:]} == {d.name for d in city.deputies_b}
    # Filters narrow the scope, never widen it.
    url = reverse("roster:export_deputies") + f"?group={city.group_b.pk}"
    rows = xlsx_rows(login(personas["township"]).get(url, follow=True).content)
    assert {r[0] for r in rows[2:]} <= {d.name for d in city.deputies_a}


@pytest.mark.parametrize("persona", ["unit", "deputy", "sysadmin", "auditor"])
@pytest.mark.parametrize("name", ["roster:export_deputies", "roster:export_groups", "roster:export_stations"])
def test_export_refused(city, personas, login, persona, name):
    response = login(personas[persona]).get(reverse(name))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_export_needs_login(client, city):
    response = client.get(reverse("roster:export_deputies"))
    assert response.status_code == 302
