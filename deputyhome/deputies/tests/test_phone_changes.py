"""A deputy's phone on the record changed: the old number hears of it (the code of 首次登录验证 goes to the number on
the record, so a number changed behind the deputy's back must not go unnoticed)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from deputyhome.accounts.models import User
from deputyhome.deputies.models import AccountRequest, Deputy
from deputyhome.deputies.roster import roster_import
from deputyhome.deputies.roster_columns import PARTICULARS
from deputyhome.deputies.services import deputy_update
from deputyhome.notifications import services as notifications
from deputyhome.notifications.models import Notification

from .test_roster_files import plain_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

NEW = "13912345678"


def _form(deputy: Deputy, **changed) -> dict:
    data = {"name": deputy.name, "id_number": deputy.id_number, "address": deputy.address}
    data.update({f: getattr(deputy, f) for f in PARTICULARS})
    data["birth_date"] = deputy.birth_date.isoformat()
    return {**data, **changed}


def test_an_officer_changes_the_phone_of_a_deputy_with_a_login(
    city, personas, client, django_capture_on_commit_callbacks
):
    deputy = city.deputies_a[3]  # personas["deputy"]'s
    old = deputy.phone
    client.force_login(personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deputies:update", args=[deputy.pk]), _form(deputy, phone=NEW))
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.phone == NEW
    [(to, text)] = notifications.outbox
    assert to == old and "139****5678" in text and NEW not in text
    assert deputy.name not in text  # a number typed wrong was somebody else's
    [note] = Notification.objects.filter(user=personas["deputy"], channel="in_app")
    assert note.subject == "您登记的手机号已修改" and "township" in note.body


def test_only_deputies_with_a_login_or_one_asked_for_are_told(city, personas, django_capture_on_commit_callbacks):
    without, asked = city.deputies_a[1], city.deputies_a[2]
    AccountRequest.objects.create(deputy=asked, asked_by=personas["township"])
    with django_capture_on_commit_callbacks(execute=True):
        deputy_update(deputy=without, data={"phone": "13900000001"}, actor=personas["township"])
        deputy_update(deputy=asked, data={"phone": "13900000002"}, actor=personas["township"])
        deputy_update(deputy=asked, data={"address": "新地址"}, actor=personas["township"])  # the phone unchanged
    assert [to for to, _text in notifications.outbox] == [asked.phone]
    # A disabled login is nobody's to tell.
    User.objects.filter(pk=personas["deputy"].pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        deputy_update(deputy=city.deputies_a[3], data={"phone": "13900000003"}, actor=personas["township"])
    assert len(notifications.outbox) == 1


def test_a_change_rolled_back_tells_nobody(city, personas, django_capture_on_commit_callbacks):
    """The notice waits for the commit: a later step that fails (an import's next row, say) undoes the change, and
    nobody is told of a number that never changed."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        deputy_update(deputy=city.deputies_a[3], data={"phone": NEW}, actor=personas["city"])
        raise RuntimeError("a later step failed")
    assert not callbacks and not notifications.outbox
    assert Deputy.objects.get(pk=city.deputies_a[3].pk).phone != NEW


def test_a_roster_import_tells_the_old_numbers_of_the_deputies_with_a_login(
    city, personas, django_capture_on_commit_callbacks
):
    with_login, without = city.deputies_a[3], city.deputies_a[2]
    rows = []
    for deputy, phone in ((with_login, "13911110000"), (without, "13922220000")):
        rows.append(
            {
                "姓名": deputy.name,
                "性别": deputy.get_gender_display(),
                "民族": deputy.ethnicity,
                "出生年月": f"{deputy.birth_date:%Y.%m}",
                "政治面貌": deputy.party,
                "代表层级": "市",
                "所在小组": city.group_a.name,
                "联系电话": phone,
                "身份证号": deputy.id_number,
            }
        )
    old = with_login.phone
    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.applied and result.updated == 2
    assert [(to, "139****0000" in text) for to, text in notifications.outbox] == [(old, True)]


def test_a_gateway_failure_keeps_the_change(city, personas, settings, caplog, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "deputyhome.testing.BrokenSms"
    with django_capture_on_commit_callbacks(execute=True):
        deputy_update(deputy=city.deputies_a[3], data={"phone": NEW}, actor=personas["city"])
    assert Deputy.objects.get(pk=city.deputies_a[3].pk).phone == NEW
    assert "phone change notice to 138****" in caplog.text
