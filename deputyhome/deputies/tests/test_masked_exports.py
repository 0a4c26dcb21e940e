"""Personal data in bulk (issue 13, item 5): the roster export is masked for everyone; the full one needs the
right, a reason and a confirmation, and is audited; a masked export edited in Excel imports again by its 系统编号
and never writes a masked value over a real one.

Every file is a real .xlsx served by the views and read back with openpyxl.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from deputyhome.audit.models import AuditEvent, AuditItem
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.validators import mask_id_number, mask_phone

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONFIRM = "我确认导出完整身份证号和手机号"
MAY_EXPORT = ["city", "township", "group", "liaison"]  # the roles that may export the roster at all
MAY_EXPORT_FULL = ["city", "township"]  # and those that may also reveal full values one deputy at a time
NO_FULL_RIGHT = ["group", "liaison", "deputy", "unit", "supervisor", "leader", "sysadmin", "secadmin", "auditor"]
REASON = "换届选举代表资格审查"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def masked_export(client: Client) -> bytes:
    response = client.get(reverse("roster:export_deputies"), follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


def full_url(query: str = "") -> str:
    return reverse("roster:export_deputies_full") + query


def full_export(client: Client, reason: str | None = REASON, confirm: bool = True, query: str = ""):
    data = {}
    if reason is not None:
        data["reason"] = reason
    if confirm:
        data["confirm"] = "on"
    return client.post(full_url(query), data)


def rows_of(content: bytes) -> list[dict[str, object]]:
    """The ledger's data rows as {header: value}; row 1 is the title, row 2 the header."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    headers = rows[1]
    return [dict(zip(headers, r, strict=True)) for r in rows[2:]]


def all_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def secrets() -> list[str]:
    return [v for d in Deputy.objects.all() for v in (d.id_number, d.phone) if v]


def personal_data() -> list[tuple]:
    return sorted(Deputy.objects.values_list("pk", "id_number", "phone"))


def exports_audited() -> list[str]:
    return list(AuditEvent.objects.filter(action__contains="export").values_list("action", flat=True))


# The ordinary export: masked for every role ------------------------------------------------------------------


@pytest.mark.parametrize("persona", MAY_EXPORT)
def test_the_ordinary_export_is_masked_for_every_role_that_may_export(city, personas, persona):
    content = masked_export(client_for(personas[persona]))
    rows = rows_of(content)
    assert rows
    by_name = {d.name: d for d in Deputy.objects.all()}
    for row in rows:
        deputy = by_name[row["姓名"]]
        assert row["身份证号"] == mask_id_number(deputy.id_number)
        assert row["联系电话"] == mask_phone(deputy.phone)
    text = all_text(content)
    assert [s for s in secrets() if s in text] == []
    assert AuditEvent.objects.get(action="export.deputies").changes["masked"] is True


# The full export: the right, a reason, a confirmation ---------------------------------------------------------


@pytest.mark.parametrize("persona", NO_FULL_RIGHT)
def test_the_full_export_is_403_without_the_right_and_not_offered(city, personas, persona):
    user = personas[persona]
    client = client_for(user)
    for response in (client.get(full_url()), full_export(client)):
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert "无权导出" in response.content.decode()
        # A refusal of the right, not of a link: nothing about how long download links last.
        assert "分钟内有效" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="export.deputies_full").exists()
    refusals = AuditEvent.objects.filter(action="export_refused.deputies_full")
    assert [(e.actor, e.success, e.changes["reason"]) for e in refusals] == [(user, False, "no_permission")] * 2
    assert not AuditEvent.objects.filter(action="access.denied").exists()  # one row per refusal
    page = client.get(reverse("deputies:list"))
    if page.status_code == 200:
        assert full_url() not in page.content.decode()


@pytest.mark.parametrize("persona", MAY_EXPORT_FULL)
def test_officers_are_offered_the_full_export_behind_a_confirmation_page(city, personas, persona):
    client = client_for(personas[persona])
    assert full_url() in client.get(reverse("deputies:list")).content.decode()
    assert full_url() in client.get(reverse("roster:import")).content.decode()
    response = client.get(full_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "导出事由" in html and CONFIRM in html and 'type="checkbox"' in html
    count = 8 if persona == "city" else 4
    assert f"{count} 名代表" in html
    assert [s for s in secrets() if s in html] == []
    assert exports_audited() == []


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_the_full_export_is_refused_without_a_reason(city, personas, reason):
    response = full_export(client_for(personas["city"]), reason=reason)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "请填写导出事由" in response.content.decode()
    assert exports_audited() == []


def test_the_full_export_is_refused_without_the_confirmation(city, personas):
    response = full_export(client_for(personas["township"]), confirm=False)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "请勾选确认" in html
    assert REASON in html  # the reason typed is kept in the form
    assert exports_audited() == []


@pytest.mark.parametrize("persona", MAY_EXPORT_FULL)
def test_the_full_export_with_reason_and_confirmation_is_served_and_audited(city, personas, persona):
    user = personas[persona]
    response = full_export(client_for(user))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    rows = rows_of(response.content)
    by_name = {d.name: d for d in Deputy.objects.all()}
    for row in rows:
        deputy = by_name[row["姓名"]]
        assert (row["身份证号"], row["联系电话"], row["系统编号"]) == (deputy.id_number, deputy.phone, deputy.pk)
    event = AuditEvent.objects.get(action="export.deputies_full")
    assert event.actor == user and event.success
    assert event.changes["reason"] == REASON
    assert event.changes["rows"] == len(rows) == (8 if persona == "city" else 4)
    assert event.changes["masked"] is False
    assert exports_audited() == ["export.deputies_full"]


def test_no_file_leaves_without_its_audit_row(city, personas, monkeypatch):
    """The audit row is written in the transaction that builds the file: when it cannot be written, no file."""
    from deputyhome.core import exports

    def broken(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(exports, "record", broken)
    with pytest.raises(RuntimeError):
        full_export(client_for(personas["city"]))


@pytest.mark.parametrize("kind", ["masked", "full"])
def test_a_township_officer_exports_only_their_township(city, personas, kind):
    for persona, deputies in (("township", city.deputies_a), ("township_b", city.deputies_b)):
        client = client_for(personas[persona])
        if kind == "masked":
            content = masked_export(client)
        else:
            response = full_export(client)
            assert response.status_code == 200
            content = response.content
        rows = rows_of(content)
        assert {r["姓名"] for r in rows} == {d.name for d in deputies}
        assert {r["系统编号"] for r in rows} == {d.pk for d in deputies}
    # Filters narrow the full export too, never widen it.
    response = full_export(client_for(personas["township"]), query=f"?group={city.group_b.pk}")
    assert {r["姓名"] for r in rows_of(response.content)} <= {d.name for d in city.deputies_a}


# A masked export imports again -------------------------------------------------------------------------------


def edited(content: bytes, edits: dict[tuple[int, str], object]) -> bytes:
    """The workbook with cells changed: {(data row index from 0, header): value}."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    headers = [c.value for c in sheet[2]]
    for (index, header), value in edits.items():
        sheet.cell(row=3 + index, column=headers.index(header) + 1).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_through_the_pages(client: Client, content: bytes):
    """Upload → preview → confirm, as an officer does; the preview page or the page after the confirmation."""
    preview = client.post(reverse("roster:import"), {"file": SimpleUploadedFile("名册.xlsx", content, XLSX)})
    token = client.session.get("roster_upload", {}).get("token")
    if token is None:
        return preview
    return client.post(reverse("roster:apply"), {"token": token}, follow=True)


def deputy_fields() -> list[tuple]:
    return sorted(
        Deputy.objects.values_list(
            "pk", "name", "gender", "ethnicity", "birth_date", "party", "education", "employer_title", "region_id"
        )
    )


def test_a_masked_export_edited_and_imported_changes_the_edited_field_only(city, personas):
    client = client_for(personas["township"])
    content = masked_export(client)
    rows = rows_of(content)
    target = Deputy.objects.get(pk=rows[1]["系统编号"])
    before_personal, before_fields = personal_data(), deputy_fields()

    response = import_through_the_pages(client, edited(content, {(1, "工作单位及职务"): "恩施市第一中学 教师"}))

    assert "导入完成：新增0人，更新1人，无变化3人。" in response.content.decode()
    assert "批量申请开通账号" not in response.content.decode()  # nobody new
    target.refresh_from_db()
    assert target.employer_title == "恩施市第一中学 教师"
    assert personal_data() == before_personal  # no ID number or phone touched, masked or not
    expected = [(*f[:7], "恩施市第一中学 教师", f[8]) if f[0] == target.pk else f for f in before_fields]
    assert deputy_fields() == expected
    (update,) = AuditItem.objects.filter(event__action="roster.import")  # the import's item for this deputy
    assert update.object_id == str(target.pk) and set(update.changes) == {"employer_title"}


def test_a_full_number_typed_into_a_masked_export_updates_that_phone_only(city, personas):
    client = client_for(personas["city"])
    content = masked_export(client)
    rows = rows_of(content)
    target = Deputy.objects.get(pk=rows[0]["系统编号"])
    before = {pk: (i, p) for pk, i, p in personal_data()}
    response = import_through_the_pages(client, edited(content, {(0, "联系电话"): "13912345678"}))
    assert "更新1人" in response.content.decode()
    after = {pk: (i, p) for pk, i, p in personal_data()}
    assert after[target.pk] == (before[target.pk][0], "13912345678")
    assert {k: v for k, v in after.items() if k != target.pk} == {k: v for k, v in before.items() if k != target.pk}


def _refused(client: Client, user, content: bytes) -> str:
    """Import a file that must be refused as a whole: nothing written, the page says so; its problems as
    "第N行「列」：message" lines."""
    from deputyhome.deputies.roster import roster_preview

    before = (personal_data(), deputy_fields(), AuditEvent.objects.filter(action__startswith="deputy.").count())
    response = import_through_the_pages(client, content)
    assert (personal_data(), deputy_fields(), AuditEvent.objects.filter(action__startswith="deputy.").count()) == before
    html = response.content.decode()
    assert "未导入任何数据" in html and "确认导入" not in html and "导入完成" not in html
    result = roster_preview(content=content, filename="名册.xlsx", actor=user)
    assert not result.file_error and result.rows == []
    for issue in result.issues:
        assert issue.message in html
    return "\n".join(str(issue) for issue in result.issues)


def test_masked_values_in_the_file_never_overwrite_real_ones(city, personas):
    user = personas["township"]
    client = client_for(user)
    content = masked_export(client)
    rows = rows_of(content)
    good = {(3, "工作单位及职务"): "改了也不写入"}  # a valid edit in the same file: all or nothing

    # A mask that is not the stored value's: a changed mask, or a file older than the number.
    problems = _refused(client, user, edited(content, {**good, (0, "联系电话"): "139****0001"}))
    assert "第3行「联系电话」" in problems and "与系统中的号码不符" in problems
    problems = _refused(client, user, edited(content, {**good, (1, "身份证号"): "4228**********9999"}))
    assert "第4行「身份证号」" in problems and f"与系统编号{rows[1]['系统编号']}的代表不符" in problems

    # Two rows' 系统编号 swapped: each names another deputy than its name.
    swapped = {(0, "系统编号"): rows[1]["系统编号"], (1, "系统编号"): rows[0]["系统编号"]}
    problems = _refused(client, user, edited(content, {**good, **swapped}))
    assert "第3行「姓名」" in problems and "第4行「姓名」" in problems

    # A 系统编号 outside the officer's township, or of no deputy at all: one message for both.
    outside = city.deputies_b[0]
    problems = _refused(
        client,
        user,
        edited(
            content,
            {**good, (0, "系统编号"): outside.pk, (0, "姓名"): outside.name, (2, "系统编号"): 99999},
        ),
    )
    assert f"没有系统编号为{outside.pk}的代表，或该代表不在您的管辖范围内" in problems
    assert "没有系统编号为99999的代表，或该代表不在您的管辖范围内" in problems

    # A masked row without its 系统编号 (a new deputy cannot be masked).
    problems = _refused(client, user, edited(content, {**good, (2, "系统编号"): None}))
    assert "第5行「身份证号」" in problems and "第5行「联系电话」" in problems

    # A full ID number that is not the deputy's: the import never changes an ID number.
    problems = _refused(client, user, edited(content, {**good, (0, "身份证号"): city.deputies_a[1].id_number}))
    assert "第3行「身份证号」" in problems
