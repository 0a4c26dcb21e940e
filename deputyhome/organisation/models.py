"""The committee's organisation: regions, homes and stations, groups, handling units, congresses."""

from django.db import models
from django.urls import reverse

from deputyhome.core.models import TimeStampedModel, optional_fk

from .choices import CongressLevel, RegionKind, StationKind, UnitKind


class Region(TimeStampedModel):
    """An administrative unit: a province, a prefecture, a county-level unit (a county, or a county-level
    city such as 恩施市), a township-level unit (乡镇/街道/管理处) or a village/community.

    Codes follow GB/T 2260 and extend it the way statistics codes do (2 digits for a province, 4 for
    a prefecture, 6 for a county-level unit, 9 for a township, 12 for a village), so a region's
    subtree is every region whose code starts with its code.
    """

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=RegionKind.choices)
    parent = optional_fk("self", "上级", related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "行政区域"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:region_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .regions import code_problems

        parent_code = self.parent.code if self.parent_id else None
        problems = code_problems(code=self.code, kind=self.kind, parent_code=parent_code)
        if problems:
            raise ValidationError(problems)

    @property
    def township(self) -> "Region | None":
        """The township-level unit this region is in (itself if it is one)."""
        region: Region | None = self
        while region is not None and len(region.code) > 9:
            region = region.parent
        return region if region is not None and len(region.code) == 9 else None


class Station(TimeStampedModel):
    """A deputy home (人大代表之家, one per township-level unit) or liaison station (联络站)."""

    kind = models.CharField("类型", max_length=16, choices=StationKind.choices)
    name = models.CharField("名称", max_length=100, unique=True)
    region = models.ForeignKey(Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="stations")
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    reception_hours = models.CharField("接待时间", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表之家/联络站"
        ordering = ["region__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:station_detail", args=[self.pk])


class DeputyGroup(TimeStampedModel):
    """A deputy group (代表小组), based at one station; every active deputy belongs to one."""

    name = models.CharField("名称", max_length=100, unique=True)
    station = models.ForeignKey(Station, verbose_name="所在站点", on_delete=models.PROTECT, related_name="groups")
    # Quarters that began before it are not held against the group (小组活动情况); empty: formed long ago.
    founded_on = models.DateField(
        "成立日期", null=True, blank=True, help_text="新组建的小组请填写：从成立后第一个完整的季度起计入小组活动情况"
    )
    notes = models.TextField("备注", blank=True)
    # The name with its numbers written as zero-padded digits (第十一 → 第000011), set by the services, so
    # that the database sorts 第一, 第二, …, 第十, 第十一 (lists paginate: the order must be SQL's).
    sort_key = models.CharField("排序键", max_length=200, default="", editable=False, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表小组"
        ordering = ["station__region__code", "sort_key", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:group_detail", args=[self.pk])


class HandlingUnit(TimeStampedModel):
    """A unit that handles deputies' suggestions: a government department, the court, the procuratorate."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices, default=UnitKind.GOVERNMENT)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("在用", default=True)
    duties = models.TextField("职责", blank=True, help_text="单位“三定”方案中的主要职责，用于建议交办时推荐承办单位")
    # The congress whose suggestions the unit handles is the one seated in this region: the city's units
    # (市直部门) carry the city, a township's offices and village committees carry the township.
    region = optional_fk(
        "Region", "所属区域", related_name="units", help_text="市直单位填写市；镇直部门、村（居）委会填写所属乡镇"
    )

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit_detail", args=[self.pk])


class Congress(TimeStampedModel):
    """A people's congress of one term (届) at one level, e.g. 恩施市第十一届人民代表大会."""

    level = models.CharField("层级", max_length=16, choices=CongressLevel.choices)
    term = models.PositiveSmallIntegerField("届次")
    name = models.CharField("名称", max_length=100, unique=True)
    region = optional_fk(
        Region, "所属区域", related_name="congresses", help_text="乡级人大填写所属乡镇；省、州级可留空"
    )
    start_date = models.DateField("本届开始", null=True, blank=True)
    end_date = models.DateField("本届结束", null=True, blank=True)
    is_current = models.BooleanField("本届", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "人民代表大会"
        ordering = ["level", "-term", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "term", "region"], name="congress_unique_level_term_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:congress_detail", args=[self.pk])


class Session(TimeStampedModel):
    """One session (次会议) of a congress, e.g. the 1st session of the 11th city congress."""

    congress = models.ForeignKey(
        Congress, verbose_name="人民代表大会", on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField("会次")
    name = models.CharField("名称", max_length=120)
    start_date = models.DateField("开幕日期")
    end_date = models.DateField("闭幕日期")
    # Set by the presidium for each session; motions are filed only during the session and before it.
    motion_deadline = models.DateTimeField(
        "议案截止时间", null=True, blank=True, help_text="主席团确定的代表提出议案的截止时间；不填则至闭幕日24时"
    )

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["congress", "number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="session_unique_number"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:congress_detail", args=[self.congress_id])
