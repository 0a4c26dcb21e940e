"""The import pages: upload → preview (nothing written) → confirm; refusals; bad files never give a 500."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.deputies.roster import IMPORT_HEADERS
from deputyhome.deputies.roster_views import SESSION_KEY

from .test_roster_files import messy, messy_xlsx, people, plain_xlsx
from .test_roster_import import bad_roster

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads kept between preview and confirmation go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def counts():
    return (
        Deputy.objects.count(),
        Mandate.objects.count(),
        GroupMembership.objects.count(),
        AuditEvent.objects.exclude(action="access.denied").count(),
    )


def upload(client, content: bytes, name: str = "名册.xlsx"):
    return client.post(reverse("roster:import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})


def test_import_page_explains_and_links(city, personas, login):
    response = login(personas["city"]).get(reverse("roster:import"))
    assert response.status_code == 200
    html = response.content.decode()
    for header in IMPORT_HEADERS:
        assert header in html
    for name in ("roster:template", "roster:export_deputies", "roster:export_groups", "roster:export_stations"):
        assert reverse(name) in html
    assert "脱敏" in html


def test_upload_previews_without_writing_then_confirm_applies(city, personas, login, media):
    client = login(personas["city"])
    rows = [messy(p, k) for k, p in enumerate(people(city, 30))]
    before = counts()

    response = upload(client, messy_xlsx(rows))

    assert response.status_code == 200
    html = response.content.decode()
    assert "确认导入" in html
    assert "新增代表" in html
    assert counts() == before
    kept = client.session[SESSION_KEY]
    assert os.path.exists(os.path.join(media.MEDIA_ROOT, kept["path"]))
    assert kept["user"] == personas["city"].pk

    response = client.post(reverse("roster:apply"), {"token": kept["token"]}, follow=True)

    assert response.status_code == 200
    assert "导入完成：新增30人，更新0人，无变化0人" in response.content.decode()
    assert "请在“人大代表”名册中点“批量申请开通账号”" in response.content.decode()
    assert Deputy.objects.count() == before[0] + 30
    assert AuditEvent.objects.filter(action="roster.import", actor=personas["city"]).count() == 1
    assert SESSION_KEY not in client.session
    assert not os.path.exists(os.path.join(media.MEDIA_ROOT, kept["path"]))

    # The same confirmation again does nothing.
    response = client.post(reverse("roster:apply"), {"token": kept["token"]}, follow=True)
    assert "已失效" in response.content.decode()
    assert Deputy.objects.count() == before[0] + 30


def test_bad_rows_show_the_error_table_and_keep_nothing(city, personas, login):
    client = login(personas["city"])
    rows, bad, _ = bad_roster(city)
    before = counts()
    response = upload(client, messy_xlsx(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "5 处问题" in html
    for k, (column, _) in bad.items():
        assert f"第{k + 4}行" in html
        assert column in html
    assert "确认导入" not in html
    assert counts() == before
    assert SESSION_KEY not in client.session


def test_confirm_rechecks_against_the_database(city, personas, login):
    client = login(personas["city"])
    persons = people(city, 5)
    response = upload(client, plain_xlsx([p.cells() for p in persons]))
    token = client.session[SESSION_KEY]["token"]
    assert response.status_code == 200
    # Meanwhile somebody registers one of them under another name.
    Deputy.objects.create(
        name="王某某",
        gender="M",
        ethnicity="汉族",
        birth_date=persons[2].birth,
        party="群众",
        id_number=persons[2].id_number,
    )
    before = counts()
    response = client.post(reverse("roster:apply"), {"token": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "重新检查发现问题" in html
    assert "身份证号已属于代表 王某某" in html
    assert counts() == before


def test_confirm_needs_the_token_of_this_session(city, personas, login, client):
    upload(login(personas["city"]), plain_xlsx([p.cells() for p in people(city, 3)]))
    token = client.session[SESSION_KEY]["token"]
    before = counts()
    response = client.post(reverse("roster:apply"), {"token": "forged"}, follow=True)
    assert "已失效" in response.content.decode()
    # Another editor cannot confirm somebody else's upload: their session has no such token.
    other = login(personas["township_b"])
    response = other.post(reverse("roster:apply"), {"token": token}, follow=True)
    assert "已失效" in response.content.decode()
    assert counts()[:3] == before[:3]  # the second login writes its own audit row
    assert not AuditEvent.objects.filter(action="roster.import").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a zip", "名册.xlsx", "不是有效的 .xlsx 文件"),
        (b"", "名册.xlsx", "空文件"),
        (b"hello", "名册.txt", "只能导入 .xlsx 或 .csv 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "名册.xls", "不支持旧版 Excel"),
        ("姓名,性别,民族,出生年月,政治面貌,身份证号\n张三,男,汉族,1975.3,群众,1\n".encode(), "a.csv", "缺少必需的列"),
    ],
)
def test_bad_files_get_a_message_not_a_500(city, personas, login, content, name, message):
    client = login(personas["city"])
    before = counts()
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_missing_columns_message_names_them(city, personas, login):
    wb_content = plain_xlsx([{"姓名": "张三"}], headers=["姓名", "性别", "民族", "出生年月", "政治面貌", "身份证号"])
    response = upload(login(personas["city"]), wb_content)
    html = response.content.decode()
    assert "缺少必需的列" in html
    assert "「代表层级」" in html and "「所在小组」" in html


def test_file_too_large(city, personas, login, media):
    media.ROSTER_MAX_BYTES = 1024
    response = upload(login(personas["city"]), b"x" * 2048, "a.csv")
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()


def test_township_officer_import_outside_their_township(city, personas, login):
    rows = [p.cells() for p in people(city, 4)]  # rows 2-3 are in 白杨坪镇
    response = upload(login(personas["township"]), plain_xlsx(rows))
    html = response.content.decode()
    assert "小组不在您的管辖范围内" in html
    assert "第4行" in html and "第5行" in html


def test_template_download(city, personas, login):
    response = login(personas["township"]).get(reverse("roster:template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == IMPORT_HEADERS


@pytest.mark.parametrize(
    "persona", ["unit", "deputy", "group", "liaison", "leader", "supervisor", "sysadmin", "auditor"]
)
def test_only_editors_may_import(city, personas, login, persona):
    client = login(personas[persona])
    before = counts()
    assert client.get(reverse("roster:import")).status_code == 403
    assert upload(client, plain_xlsx([p.cells() for p in people(city, 2)])).status_code == 403
    assert client.post(reverse("roster:apply"), {"token": "x"}).status_code == 403
    assert client.get(reverse("roster:template")).status_code == 403
    assert counts() == before  # nothing imported, and no audit row but the refusals
    refused = AuditEvent.objects.filter(action="access.denied", actor=personas[persona])
    assert refused.count() == 4 and not refused.filter(success=True).exists()


def test_apply_is_post_only(city, personas, login):
    assert login(personas["city"]).get(reverse("roster:apply")).status_code == 405
