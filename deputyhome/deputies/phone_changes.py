"""A deputy's phone on the record changed: the old number is told by SMS, once the change is committed.

The phone on the record is where 首次登录验证 sends its code (`first_login`, decision 145): whoever changed it to a
number of their own could take the deputy's new account with its slip in hand. So a deputy who has a login, or
one asked for, hears of every change of that number on the number they had (decision 147). The text names no
deputy: a number typed wrong belonged to somebody else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.notifications.services import mask_phone, notify, sms_backend

from .models import AccountRequest, Deputy

log = logging.getLogger(__name__)


def phone_change_text(new: str) -> str:
    now = timezone.localtime()
    to = f"改为{mask_phone(new)}" if new else "删除"
    return (
        f"【代表之家】您在代表之家登记的手机号已于{now:%m月%d日}{to}。"
        "如非您本人要求，请立即联系所在乡镇（街道）人大或市人大常委会代表工作委员会。"
    )


def phone_changes_notify(moves: Iterable[tuple[Deputy, str, str]], *, actor: Any) -> int:
    """`moves`: (deputy, old phone, new phone). Tell the old numbers of the deputies with an enabled login or an open
    request for one, by SMS after the commit (a change rolled back tells nobody), and their accounts in the site.
    Returns how many numbers will be told."""
    moves = [(d, old, new or "") for d, old, new in moves if old and old != (new or "")]
    if not moves:
        return 0
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
    texts = [(old, phone_change_text(new)) for _d, old, new in told]
    if texts:
        transaction.on_commit(lambda: _send(texts))
    return len(texts)


def _send(texts: list[tuple[str, str]]) -> None:
    backend = sms_backend()
    for phone, text in texts:
        try:
            backend.send(phone=phone, text=text)
        except Exception as exc:  # noqa: BLE001 - the change is made; a notice that failed is logged
            log.warning("phone change notice to %s failed: %s", mask_phone(phone), exc)
