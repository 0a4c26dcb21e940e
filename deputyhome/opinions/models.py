"""Voter contact: reception schedules and records, voter opinions (社情民意) with their tracking
codes, deputy ↔ household pairings (结对联系) and model-deputy stories (典型).

An opinion points at what it became (a fast-lane referral, a problem, a suggestion) in the
activities and suggestions apps; those apps never point back here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from deputyhome.core.crypto import EncryptedCharField
from deputyhome.core.models import InTownship, RepliedBy, TimeStampedModel, optional_fk, user_fk

from . import codes
from .choices import Channel, ContactWay, OpinionStatus, Weekday

# Receptions -------------------------------------------------------------------------------------------------


class ReceptionSlot(TimeStampedModel):
    """A reception time at a station (接待安排): weekly on a weekday, or once on a date, with the
    deputies who receive voters then. Shown on the station's public page.

    A one-off reception is announced (`announced_on`) at least RECEPTION_NOTICE_DAYS before
    its date (the local norm: a notice 2 days before); the service checks it.
    """

    station = models.ForeignKey(
        "organisation.Station", verbose_name="家站", on_delete=models.CASCADE, related_name="reception_slots"
    )
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name="接待代表", blank=True, related_name="reception_slots"
    )
    weekday = models.PositiveSmallIntegerField("每周固定接待日", choices=Weekday.choices, null=True, blank=True)
    date = models.DateField("接待日期", null=True, blank=True, db_index=True)
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    notice = models.TextField("接待公告", blank=True)
    announced_on = models.DateField("公告日期")
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "接待安排"
        ordering = ["station", "date", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=False) & Q(date__isnull=True))
                | (Q(weekday__isnull=True) & Q(date__isnull=False)),
                name="slot_weekday_xor_date",
            ),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="slot_times_ordered"),
        ]

    def __str__(self) -> str:
        when = self.get_weekday_display() if self.weekday else f"{self.date:%Y-%m-%d}"
        return f"{self.station} {when} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("opinions:slot_list") + f"?station={self.station_id}"

    @property
    def when_label(self) -> str:
        day = self.get_weekday_display() if self.weekday else f"{self.date:%Y年%-m月%-d日}"
        return f"{day} {self.start_time:%H:%M}—{self.end_time:%H:%M}"


class Reception(TimeStampedModel):
    """One reception of voters held at a station (接待选民): who received, how many came, what they said.

    The opinions taken there are Opinion rows pointing at it (`opinions`).
    """

    station = models.ForeignKey(
        "organisation.Station", verbose_name="家站", on_delete=models.PROTECT, related_name="receptions"
    )
    date = models.DateField("接待日期", db_index=True)
    slot = optional_fk(ReceptionSlot, "接待安排", related_name="receptions", on_delete=models.SET_NULL)
    deputies = models.ManyToManyField("deputies.Deputy", verbose_name="接待代表", related_name="receptions")
    voters_received = models.PositiveIntegerField("接待选民（人次）", default=0)
    notes = models.TextField("接待情况", blank=True)
    recorded_by = user_fk("录入人")
    # The opinions taken down here, kept by `opinion_record` (the only service that points one at a reception),
    # so that a province's register sorts by it without counting every reception's opinions.
    opinion_count = models.PositiveIntegerField("收集意见", default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "接待记录"
        ordering = ["-date", "-id"]
        # The register's sort both ways (a sort's ties go by id ascending, `core.crud.RegisterView.order`).
        indexes = [
            models.Index(fields=["opinion_count", "id"], name="reception_opinion_count"),
            models.Index(fields=["-opinion_count", "id"], name="reception_opinion_count_desc"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.station}接待选民"

    def get_absolute_url(self) -> str:
        return reverse("opinions:reception_detail", args=[self.pk])


# Voter opinions --------------------------------------------------------------------------------------------


class Opinion(InTownship, RepliedBy, TimeStampedModel):
    """A voter's opinion (社情民意), left on a station's or a deputy's public page or taken down by
    staff at a reception or visit, and what became of it.

    `region` is the township-level unit of the station (or of the deputy), for scopes.
    The citizen follows it with `tracking_code` only; name and phone are optional and never
    shown on public pages. `status` moves only through the services.
    """

    tracking_code = models.CharField("查询码", max_length=16, unique=True, editable=False)
    channel = models.CharField("来源", max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    station = optional_fk("organisation.Station", "家站", related_name="opinions")
    deputy = optional_fk("deputies.Deputy", "反映给代表", related_name="opinions")
    reception = optional_fk(Reception, "接待记录", related_name="opinions", on_delete=models.SET_NULL)
    content = models.TextField("反映内容")
    name = models.CharField("姓名", max_length=30, blank=True)
    phone = EncryptedCharField("联系电话", blank=True)  # personal data: encrypted at rest
    photo = models.FileField("照片", upload_to="opinions/%Y/%m/", blank=True)
    privacy_version = models.CharField("同意的隐私告知版本", max_length=20, blank=True)
    consented_at = models.DateTimeField("同意时间", null=True, blank=True)
    received_on = models.DateField("收到日期", db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.NEW, db_index=True
    )
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    duplicate_of = optional_fk("self", "合并到", related_name="duplicates")
    referral = optional_fk("activities.Referral", "转交事项")
    problem = optional_fk("activities.Problem", "转为问题")
    suggestion = optional_fk("suggestions.Suggestion", "形成的建议")
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "录入人", help_text="工作人员录入的意见；群众扫码留言为空")

    class Meta:
        verbose_name = verbose_name_plural = "群众意见"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(station__isnull=False) | Q(deputy__isnull=False), name="opinion_has_addressee"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(duplicate_of__isnull=False), name="opinion_merged_has_target"
            ),
        ]

    def __str__(self) -> str:
        text = self.content.replace("\n", " ")
        return f"{codes.display(self.tracking_code)} {text[:30]}{'…' if len(text) > 30 else ''}"

    def get_absolute_url(self) -> str:
        return reverse("opinions:detail", args=[self.pk])

    @property
    def code_display(self) -> str:
        return codes.display(self.tracking_code)

    @property
    def addressee(self) -> str:
        if self.deputy_id and self.station_id:
            return f"{self.deputy.name}代表（{self.station.name}）"
        return f"{self.deputy.name}代表" if self.deputy_id else self.station.name


class OpinionEvent(models.Model):
    """One step on an opinion's timeline, for the staff page (the audit trail has the same steps)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = optional_fk(settings.AUTH_USER_MODEL)
    actor_label = models.CharField("操作人", max_length=100, blank=True)
    action = models.CharField("操作", max_length=24)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "意见处理记录"
        ordering = ["at", "id"]

    LABELS = {
        "submit": "群众扫码留言",
        "record": "录入意见",
        "reply": "答复群众",
        "forward": "转交承办单位",
        "merge": "合并到同类意见",
        "merged_in": "同类意见合并到此",
        "to_problem": "转为发现问题",
        "to_suggestion": "形成代表建议",
    }

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action_label}"

    @property
    def action_label(self) -> str:
        return self.LABELS.get(self.action, self.action)


class ThrottleCounter(models.Model):
    """How many times one key (a hashed client address, a station) was used in one fixed window.

    Kept in the database so that every web host sees the same counts; rows past `expires_at`
    are deleted as new ones come.
    """

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "提交频率计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


# Pairing and model deputies -------------------------------------------------------------------------------


class Pairing(TimeStampedModel):
    """A deputy's pairing with a household (结对联系户), from `since` until `ended_on` if it ended."""

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="pairings"
    )
    household = models.CharField("联系户（户主）", max_length=50)
    village = optional_fk("organisation.Region", "所在村（社区）")
    members = models.PositiveSmallIntegerField("家庭人口", default=1)
    since = models.DateField("结对日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    notes = models.TextField("基本情况", blank=True)
    # The contacts logged, kept by `pairing_contact_add` (contacts are only ever added), for the register's sort.
    contact_count = models.PositiveIntegerField("联系次数", default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "结对联系户"
        ordering = ["deputy", "village__code", "household", "id"]
        indexes = [  # the register's sort both ways, as the receptions'
            models.Index(fields=["contact_count", "id"], name="pairing_contact_count"),
            models.Index(fields=["-contact_count", "id"], name="pairing_contact_count_desc"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("since")), name="pairing_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} ↔ {self.household}户"

    def get_absolute_url(self) -> str:
        return reverse("opinions:pairing_detail", args=[self.pk])


class PairingContact(models.Model):
    """One contact between a deputy and a paired household (联系记录)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField("联系日期")
    way = models.CharField("联系方式", max_length=12, choices=ContactWay.choices)
    notes = models.TextField("联系情况")
    recorded_by = user_fk()

    class Meta:
        verbose_name = verbose_name_plural = "联系记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_way_display()}"


class ModelStory(TimeStampedModel):
    """A model deputy's story (先进典型), with figures such as 结对户数 496户, 调解成功率 98%.

    `figures` is a list of [label, value] pairs, values kept as written ("8000余万元").
    Only published stories are visible without a login.
    """

    deputy = models.ForeignKey("deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="stories")
    title = models.CharField("标题", max_length=120)
    text = models.TextField("事迹")
    figures = models.JSONField("数据", default=list, blank=True)
    is_published = models.BooleanField("已发布", default=False, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = user_fk()

    class Meta:
        verbose_name = verbose_name_plural = "代表典型"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:story_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("opinions:public_story", args=[self.pk])
