"""Deputies' activities, who took part, their photos and what they produced."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from deputyhome.core.models import CreatedBy, TimeStampedModel, Upload, optional_fk, user_fk

from ..choices import ActivityKind, Attendance, OrganiserLevel, OutputKind
from .campaigns import Campaign

# Activities ---------------------------------------------------------------------------------------------


class Activity(CreatedBy, TimeStampedModel):
    """A deputies' activity: research, inspection, visit, reception, forum, training, ...

    `region` is the organising region: the city for the committee, the township for a
    township or a group (the township of the group's station). Scopes filter on it.
    """

    kind = models.CharField("活动类型", max_length=24, choices=ActivityKind.choices)
    level = models.CharField("组织层级", max_length=16, choices=OrganiserLevel.choices)
    region = models.ForeignKey(
        "organisation.Region", verbose_name="组织区域", on_delete=models.PROTECT, related_name="+"
    )
    group = optional_fk("organisation.DeputyGroup", "代表小组", related_name="activities")
    station = optional_fk(
        "organisation.Station",
        "活动家站",
        related_name="activities",
        help_text="在家站开展或由家站组织的活动填写，用于按家站统计",
    )
    campaign = optional_fk(Campaign, "代表行动", related_name="activities")
    date = models.DateField("活动日期", db_index=True)
    place = models.CharField("活动地点", max_length=200)
    topic = models.CharField("活动主题", max_length=200)
    notes = models.TextField("活动情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])


class Participation(models.Model):
    """A deputy's attendance at an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="activity_participations"
    )
    attendance = models.CharField("出席情况", max_length=12, choices=Attendance.choices, default=Attendance.PRESENT)

    class Meta:
        verbose_name = verbose_name_plural = "参加代表"
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="participation_unique")]

    def __str__(self) -> str:
        return f"{self.deputy}（{self.get_attendance_display()}）"


class ActivityPhoto(Upload):
    """A photo of an activity (checked to be a real image)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="activities/photos/%Y/")

    class Meta(Upload.Meta):
        verbose_name = verbose_name_plural = "活动照片"


class Output(TimeStampedModel):
    """A document an activity produced: a research report (调研报告) or a review opinion (审议意见),
    with where it went and the answer that came back."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="outputs")
    kind = models.CharField("成果类型", max_length=24, choices=OutputKind.choices)
    title = models.CharField("标题", max_length=200)
    file = models.FileField("文件", upload_to="activities/outputs/%Y/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    date = models.DateField("形成日期")
    sent_to = models.CharField("报送（交办）单位", max_length=100, blank=True)
    response = models.TextField("办理反馈", blank=True)
    response_on = models.DateField("反馈日期", null=True, blank=True)
    created_by = user_fk()

    class Meta:
        verbose_name = verbose_name_plural = "活动成果"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.activity_id])
