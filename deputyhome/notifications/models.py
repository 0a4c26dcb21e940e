"""Notifications to users: in the site, by e-mail and by SMS; every one sent is recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from deputyhome.core.crypto import EncryptedCharField

from .choices import Channel


class Notification(models.Model):
    """One message to one user on one channel. `key` makes scheduled sending idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices, default=Channel.IN_APP)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    sent_ok = models.BooleanField("发送成功", default=True)
    error = models.TextField("发送错误", blank=True)
    tries = models.PositiveSmallIntegerField("发送次数", default=1)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Users who share a phone (the clerks of one unit share the unit's) get one SMS: the first one's row is sent, the
    # others' ride on it and take its outcome (sent, failed, tries). A carrier gone (its user deleted) leaves the
    # rider to be sent on its own.
    sent_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="riders",
        verbose_name="随同发送",
        db_index=False,  # the few riders, in the partial index below
    )

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The layout's unread count on every page, and the inbox's first part: a user's unread in the site.
            models.Index(
                fields=["user"], condition=models.Q(channel="in_app", read_at=None), name="notification_unread"
            ),
            # The inbox's second part, newest first, and its count (a committee officer has tens of thousands).
            models.Index(
                fields=["user", "-created_at", "-id"],
                condition=models.Q(channel="in_app", read_at__isnull=False),
                name="notification_read",
            ),
            # 发送失败的通知 (the system administrator's page and tile, the retry command): the few failed, newest first.
            models.Index(fields=["-created_at", "-id"], condition=models.Q(sent_ok=False), name="notification_failed"),
            # A carrier's riders, to give them its outcome.
            models.Index(fields=["sent_with"], condition=models.Q(sent_with__isnull=False), name="notification_riders"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "key"], condition=~models.Q(key=""), name="notification_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class NumberSms(models.Model):
    """An SMS to a number rather than to a user: a deputy's old phone told of a change. Queued in the transaction of
    what it tells (rolled back with it), sent after the commit, the first few at once and the rest by
    `notifications_retry`: a roster import that changes a thousand phones does not wait for a thousand SMS."""

    phone = EncryptedCharField("手机号")
    text = models.TextField("内容")
    purpose = models.CharField("用途", max_length=40)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    error = models.TextField("发送错误", blank=True)
    tries = models.PositiveSmallIntegerField("发送次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "发往号码的短信"
        ordering = ["-created_at", "-id"]
        # The unsent (waiting or failed): the command's round, the administrator's page and tile.
        indexes = [
            models.Index(fields=["-created_at", "-id"], condition=models.Q(sent_at=None), name="number_sms_unsent")
        ]

    def __str__(self) -> str:
        return self.purpose
