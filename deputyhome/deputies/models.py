"""Deputies: the person, their mandates at each level, and their group memberships."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.crypto import EncryptedCharField
from deputyhome.core.models import TimeStampedModel, optional_fk
from deputyhome.core.models import active_on as active_on  # dated rows; defined in core for the layers below
from deputyhome.organisation.models import Congress, DeputyGroup, Region

from .choices import Gender, GroupRole, MandateEndReason, MandateStatus


class Deputy(TimeStampedModel):
    """A person who holds one or more deputy mandates (人大代表).

    `region` is the township-level unit the deputy is based in (the township of their
    group's station); it is kept by the services and is what township scopes filter on.
    """

    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20)
    birth_date = models.DateField("出生年月")
    party = models.CharField("政治面貌", max_length=20)
    education = models.CharField("文化程度", max_length=20, blank=True)
    employer_title = models.CharField("工作单位及职务", max_length=200, blank=True)
    # Personal data, encrypted at rest (see core/crypto.py); equality look-ups still work.
    phone = EncryptedCharField("联系电话", blank=True)
    # The number `phone` replaced, and when (kept by `phone_changes`): an account opened soon after a change tells the
    # replaced number (decision 151).
    phone_before = EncryptedCharField("原联系电话", blank=True)
    phone_changed_at = models.DateTimeField("联系电话变更时间", null=True, blank=True)
    id_number = EncryptedCharField("身份证号", unique=True)
    photo = models.ImageField("照片", upload_to="deputies/photos/", blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    region = optional_fk(Region, "所属乡镇", related_name="deputies")

    class Meta:
        verbose_name = verbose_name_plural = "人大代表"
        ordering = ["region__code", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("deputies:detail", args=[self.pk])


class Mandate(TimeStampedModel):
    """A deputy's seat in one congress (届), with its constituency and its dates."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="mandates")
    congress = models.ForeignKey(
        Congress, verbose_name="人民代表大会", on_delete=models.PROTECT, related_name="mandates"
    )
    constituency = models.CharField("选区", max_length=100, blank=True)
    start_date = models.DateField("任期开始")
    end_date = models.DateField("任期终止", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=MandateStatus.choices, default=MandateStatus.ACTIVE)
    end_reason = models.CharField("终止原因", max_length=16, choices=MandateEndReason.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表资格"
        ordering = ["congress__level", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "congress"], name="mandate_unique_deputy_congress"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mandate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.congress}"

    def get_absolute_url(self) -> str:
        return reverse("deputies:detail", args=[self.deputy_id])


class GroupMembership(TimeStampedModel):
    """A deputy's membership of a deputy group with a role, over a period (both dates inclusive)."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(
        DeputyGroup, verbose_name="代表小组", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("职务", max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER)
    start_date = models.DateField("加入日期")
    end_date = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "小组成员"
        ordering = ["group", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.group} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("deputies:detail", args=[self.deputy_id])


class AccountRequest(models.Model):
    """申请开通代表账号: a city or township officer asked the administrators for a deputy's login.

    Open (`done_at` empty) until the system administrator makes the account in a batch; a request whose deputy
    got a login otherwise (made one by one) is no longer waiting, and the lists leave it out.
    """

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="account_requests")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField("申请时间", default=timezone.now)
    done_at = models.DateTimeField("开通时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表账号开通申请"
        ordering = ["asked_at", "pk"]
        indexes = [
            models.Index(fields=["deputy", "asked_at"], name="account_request_deputy_at"),
            # The administrators' list and count read the open requests only.
            models.Index(fields=["asked_at"], name="account_request_open", condition=Q(done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.asked_at:%Y-%m-%d}"


class FirstLoginCode(models.Model):
    """首次登录短信验证码: a code sent to the phone on a deputy's record before the first password change.

    A one-time password passes through other hands (the system administrator who made it, the officer who hands the
    开通单 over); the code goes to the deputy's own phone, so none of them can sign in first (decision 145). Only
    a keyed digest of the code is kept.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField("验证码摘要", max_length=64)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    tries = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField("验证时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "首次登录短信验证码"
        indexes = [models.Index(fields=["user", "sent_at"], name="first_login_code_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.sent_at:%Y-%m-%d %H:%M}"
