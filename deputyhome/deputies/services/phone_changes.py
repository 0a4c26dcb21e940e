"""A deputy's phone on the record changed: the old number is told by SMS, once the change is committed.

The phone on the record is where 首次登录验证 sends its code (`first_login`, decision 145): whoever changed it to a
number of their own could take the deputy's new account with its slip in hand. So a deputy who has a login, or
one asked for, hears of every change of that number on the number they had (decision 147). The text names no
deputy: a number typed wrong belonged to somebody else.

A deputy with neither is not told then (a roster import must not text a township), but the record keeps the number
replaced and when (`Deputy.phone_before`, `phone_changed_at`): an account opened, or its slip renewed, within
`RECENT_DAYS` of the change tells the replaced number where its first-login code will go (decision 151).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.core.masking import mask_phone
from deputyhome.notifications.services import notify, sms_to_numbers

from ..models import AccountRequest, Deputy

log = logging.getLogger(__name__)

# How long after a change of the phone an account's 开通单 tells the number it replaced.
RECENT_DAYS = 30


def phone_change_text(new: str) -> str:
    now = timezone.localtime()
    to = f"改为{mask_phone(new)}" if new else "删除"
    return (
        f"【代表之家】您在代表之家登记的手机号已于{now:%m月%d日}{to}。"
        "如非您本人要求，请立即联系所在乡镇（街道）人大或市人大常委会代表工作委员会。"
    )


def phone_changes_record(moves: Iterable[tuple[Deputy, str, str]], *, actor: Any) -> int:
    """`moves`: (deputy, old phone, new phone), the deputies' new phones saved. Keep each replaced number and the time
    on the record; tell the old numbers of the deputies with an enabled login or an open request for one, by SMS
    queued with the change and sent after its commit (`sms_to_numbers`: a change rolled back tells nobody), and
    their accounts in the site. Returns how many numbers
    will be told."""
    moves = [(d, old or "", new or "") for d, old, new in moves if (old or "") != (new or "")]
    if not moves:
        return 0
    now = timezone.now()
    for d, old, _new in moves:
        # A number added where there was none keeps the one replaced before it: a phone deleted, then another
        # typed, still tells the first.
        d.phone_before, d.phone_changed_at = old or d.phone_before, now
    Deputy.objects.bulk_update([d for d, _old, _new in moves], ["phone_before", "phone_changed_at"], batch_size=500)
    moves = [(d, old, new) for d, old, new in moves if old]
    ids = [d.pk for d, _old, _new in moves]
    accounts = {u.deputy_id: u for u in User.objects.filter(deputy_id__in=ids, is_active=True)}
    asked = set(AccountRequest.objects.filter(deputy_id__in=ids, done_at__isnull=True).values_list("deputy", flat=True))
    told = [(d, old, new) for d, old, new in moves if d.pk in accounts or d.pk in asked]
    for d, _old, new in told:
        if d.pk in accounts:
            notify(
                users=[accounts[d.pk]],
                subject="您登记的手机号已修改",
                body=f"{phone_change_text(new)}（修改人：{getattr(actor, 'display_name', '') or actor}）",
            )
    return sms_to_numbers(messages=[(old, phone_change_text(new)) for _d, old, new in told], purpose="手机号变更提醒")


def recently_changed(deputy: Deputy) -> bool:
    """Whether `deputy`'s phone replaced another within `RECENT_DAYS` (a number deleted and typed again did not)."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    changed = deputy.phone_before and deputy.phone_before != deputy.phone
    return bool(changed and deputy.phone_changed_at and deputy.phone_changed_at >= since)


def replaced_numbers_tell(deputies: Iterable[Deputy], *, renewed: bool = False) -> int:
    """An account was opened (or its 开通单 renewed) for each of `deputies`: those whose phone replaced another within
    `RECENT_DAYS` have the replaced number told, by SMS queued with the opening (`sms_to_numbers`), where the first-login code will go. The
    deputy whose number was changed without their asking hears of it before anybody can sign in. Returns how many."""
    what = "开通单已重新生成" if renewed else "账号已开通"
    texts = []
    for d in (d for d in deputies if recently_changed(d)):
        on = f"{timezone.localtime(d.phone_changed_at):%m月%d日}"
        where = (
            f"首次登录验证码将发送至{mask_phone(d.phone)}，该号码于{on}替换了本号码"
            if d.phone
            else f"登记的本号码已于{on}删除，首次登录不再短信验证"
        )
        texts.append(
            (
                d.phone_before,
                f"【代表之家】您的代表之家{what}，{where}。"
                "如非您本人要求，请勿使用开通单，立即联系所在乡镇（街道）人大或市人大常委会代表工作委员会。",
            )
        )
    return sms_to_numbers(messages=texts, purpose="开通账号告知原号码")
