"""开通通知书: the system administrator may take the 开通单 as a Word document, one page per deputy, to print and hand
over; read back here with python-docx. A form of file that is not offered writes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from deputyhome.accounts.models import User
from deputyhome.deputies.models import AccountRequest
from deputyhome.deputies.services.account_batches import HANDOVER_DAYS

from .test_account_batches import OPEN, RENEW, _ask, _confirmed

pytestmark = pytest.mark.django_db

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PASSWORD_LINE = "一次性密码："


def _pages(content: bytes) -> list[str]:
    """The document's text, a page per deputy (a page starts at its title, which begins on a new page)."""
    document = Document(io.BytesIO(content))
    pages: list[list[str]] = []
    for paragraph in document.paragraphs:
        if paragraph.text == "代表之家账号开通通知书":
            pages.append([])
        pages[-1].append(paragraph.text)
    breaks = document.element.body.xpath(".//w:pageBreakBefore")
    assert len(breaks) == len(pages) - 1  # every page but the first starts on a new sheet
    return ["\n".join(page) for page in pages]


def _field(page: str, label: str) -> str:
    return next(line[len(label) :] for line in page.splitlines() if line.startswith(label))


def test_the_accounts_are_made_with_a_page_per_deputy(city, personas, client):
    with_phone, without = city.deputies_a[1], city.deputies_a[2]
    without.phone = ""
    without.save(update_fields=["phone"])
    client.force_login(personas["township"])
    _ask(client)
    client.force_login(personas["sysadmin"])
    html = client.get(OPEN).content.decode()
    assert 'name="format" value="xlsx" checked' in html and 'name="format" value="docx"' in html

    response = client.post(OPEN, {"confirmed": _confirmed(client, OPEN), "format": "docx"})
    assert response.status_code == 200 and response["Content-Type"] == WORD
    assert "%E9%80%9A%E7%9F%A5%E4%B9%A6-" in response["Content-Disposition"]  # …开通通知书-<time>.docx
    assert response["Content-Disposition"].endswith(".docx") and "no-store" in response["Cache-Control"]
    pages = {page.splitlines()[1]: page for page in _pages(response.content)}
    assert set(pages) == {f"{with_phone.name}代表：", f"{without.name}代表："}
    for deputy in (with_phone, without):
        page = pages[f"{deputy.name}代表："]
        account = User.objects.get(deputy=deputy)
        assert _field(page, "用 户 名：") == account.username
        assert account.check_password(_field(page, PASSWORD_LINE))  # the password on the page opens the account
        assert _field(page, "登录网址：") == "http://testserver/accounts/login/"
        assert f"一次性密码{HANDOVER_DAYS}天内有效" in page
        assert not deputy.phone or deputy.phone not in page
    assert "短信验证码" in pages[f"{with_phone.name}代表："]
    # The deputy sees the end of the number the code goes to before signing in: not theirs, they stop and ask.
    assert f"登记的手机（138****{with_phone.phone[-4:]}）" in pages[f"{with_phone.name}代表："]
    assert "短信验证码" not in pages[f"{without.name}代表："]  # no phone on the record: no code at the first login


def test_a_form_of_file_not_offered_writes_nothing(city, personas, client):
    client.force_login(personas["township"])
    _ask(client)
    client.force_login(personas["sysadmin"])
    response = client.post(OPEN, {"confirmed": _confirmed(client, OPEN), "format": "pdf"})
    assert response.status_code == 400 and "开通单格式只能是" in response.content.decode()
    assert not User.objects.filter(deputy__isnull=False, username__startswith="rd").exists()
    assert AccountRequest.objects.filter(done_at__isnull=True).count() == 2  # still waiting


def test_a_renewal_answers_the_letters_too(city, personas, client, settings):
    settings.SITE_URL = "https://daibiao.example.gov.cn/"
    client.force_login(personas["township"])
    _ask(client)
    client.force_login(personas["sysadmin"])
    client.post(OPEN, {"confirmed": _confirmed(client, OPEN)})
    with time_machine.travel(timezone.now() + datetime.timedelta(days=HANDOVER_DAYS, hours=1)):
        client.force_login(personas["sysadmin"])
        response = client.post(RENEW, {"confirmed": _confirmed(client, RENEW), "format": "docx"})
        pages = _pages(response.content)
        assert len(pages) == 2
        for page in pages:
            assert _field(page, "登录网址：") == "https://daibiao.example.gov.cn/accounts/login/"
            account = User.objects.get(username=_field(page, "用 户 名："))
            assert account.check_password(_field(page, PASSWORD_LINE))
