"""Training of deputies: annual plans, sessions, invitations and attendance, materials handed out."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from deputyhome.core.models import TimeStampedModel, optional_fk
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import Region

from .choices import AttendanceStatus, OrganiserLevel, PlanStatus, SessionKind, SignInWay

TOWNSHIP_CODE_LENGTH = 9


class Organised(TimeStampedModel):
    """A plan or a session: organised by the city, or by one township that it names (`region`)."""

    level = models.CharField("组织层级", max_length=16, choices=OrganiserLevel.choices, default=OrganiserLevel.CITY)

    class Meta:
        abstract = True

    def organiser_problems(self) -> dict[str, str]:
        """The organiser rule shared by plans and sessions: a township organiser names its township."""
        region = self.region if self.region_id else None
        if self.level == OrganiserLevel.TOWNSHIP:
            if region is None:
                return {"region": "乡镇级培训须选择组织的乡镇（街道）。"}
            if len(region.code) != TOWNSHIP_CODE_LENGTH:
                return {"region": f"“{region.name}”不是乡镇（街道）一级的区域，请选择乡镇（街道）。"}
        elif self.level == OrganiserLevel.CITY and region is not None:
            return {"region": "市级培训不选乡镇（街道）。"}
        return {}

    def clean(self) -> None:
        problems = self.organiser_problems()
        if problems:
            raise ValidationError(problems)

    @property
    def organiser(self) -> str:
        return self.region.name if self.level == OrganiserLevel.TOWNSHIP and self.region_id else "市人大常委会"


class TrainingPlan(Organised):
    """An annual training plan (培训方案) of the city or of one township: purpose, content, forms,
    safeguards and budget, as the committee draws it up at the start of each year."""

    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    region = optional_fk(
        Region, "乡镇（街道）", related_name="training_plans", help_text="乡镇级方案填写；市级方案留空"
    )
    title = models.CharField("方案名称", max_length=150)
    purpose = models.TextField("培训目的", blank=True)
    content = models.TextField("培训内容", blank=True)
    forms = models.TextField("培训形式", blank=True)
    safeguards = models.TextField("保障措施", blank=True)
    budget = models.DecimalField(
        "经费预算（元）",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)

    class Meta:
        verbose_name = verbose_name_plural = "培训方案"
        ordering = ["-year", "level", "region__code", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=OrganiserLevel.CITY, region__isnull=True)
                | Q(level=OrganiserLevel.TOWNSHIP, region__isnull=False),
                name="training_plan_organiser_region",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:plan_detail", args=[self.pk])


class TrainingSession(Organised):
    """One training session (一期/一次培训): its kind, organiser, day, hours, lecturer and place.

    Deputies sign in on their phones with `signin_code` while `signin_open` is set, and only
    on the session's day. The code is unique among sessions whose sign-in is open (a partial
    unique index), so a typed code always finds one session.
    """

    plan = optional_fk(TrainingPlan, "所属培训方案", related_name="sessions")
    title = models.CharField("培训名称", max_length=150)
    kind = models.CharField("培训类型", max_length=16, choices=SessionKind.choices)
    region = optional_fk(
        Region, "乡镇（街道）", related_name="training_sessions", help_text="乡镇级培训填写；市级培训留空"
    )
    date = models.DateField("培训日期", db_index=True)
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    hours = models.DecimalField(
        "学时",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("99.9"))],
        help_text="参训代表每人计入的学时，例如 3 或 1.5",
    )
    lecturer = models.CharField("授课人", max_length=100, blank=True)
    place = models.CharField("地点", max_length=150, blank=True)
    description = models.TextField("内容摘要", blank=True)
    signin_code = models.CharField("签到码", max_length=8, blank=True)
    signin_open = models.BooleanField("开放签到", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "培训"
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=OrganiserLevel.CITY, region__isnull=True)
                | Q(level=OrganiserLevel.TOWNSHIP, region__isnull=False),
                name="training_session_organiser_region",
            ),
            models.UniqueConstraint(
                fields=["signin_code"],
                condition=Q(signin_open=True),
                name="training_session_open_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(signin_open=False) | ~Q(signin_code=""),
                name="training_session_open_has_code",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.pk])

    def clean(self) -> None:
        problems = self.organiser_problems()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            problems["end_time"] = "结束时间应晚于开始时间。"
        if self.plan_id and self.date and self.plan.year != self.date.year:
            problems["plan"] = f"培训日期在{self.date.year}年，不属于{self.plan.year}年度的方案。"
        if problems:
            raise ValidationError(problems)


class Attendance(TimeStampedModel):
    """A deputy's invitation to a session and what became of it: present, excused (with a reason) or absent.

    A deputy who signs in with the code without an invitation is added as a walk-in
    (`invited` false). `signed_in_at` and `signin_way` say when and how presence was recorded.
    """

    session = models.ForeignKey(
        TrainingSession, verbose_name="培训", on_delete=models.CASCADE, related_name="attendances"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="training_attendances"
    )
    invited = models.BooleanField("已邀请", default=True, help_text="未邀请而凭签到码签到的代表记为现场加入")
    status = models.CharField("出勤", max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.PENDING)
    excuse_reason = models.CharField("请假事由", max_length=200, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    signin_way = models.CharField("签到方式", max_length=16, choices=SignInWay.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训出勤"
        ordering = ["session", "deputy__region__code", "deputy__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="training_attendance_unique"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.EXCUSED) | ~Q(excuse_reason=""),
                name="training_attendance_excused_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["deputy", "status"], name="training_att_deputy_status")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.session_id])

    def clean(self) -> None:
        if self.status == AttendanceStatus.EXCUSED and not self.excuse_reason.strip():
            raise ValidationError({"excuse_reason": "请假须填写请假事由。"})


class Material(TimeStampedModel):
    """A study material handed to deputies for self-study, e.g. 《新时代人大代表履职手册》 or the magazine 《中国人大》."""

    title = models.CharField("资料名称", max_length=150, unique=True)
    publisher = models.CharField("出版或印发单位", max_length=100, blank=True)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习资料"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:material_detail", args=[self.pk])


class MaterialDistribution(TimeStampedModel):
    """Copies of a material handed out on a date, to one deputy or at one session (or both)."""

    material = models.ForeignKey(
        Material, verbose_name="学习资料", on_delete=models.PROTECT, related_name="distributions"
    )
    deputy = optional_fk(Deputy, "发放给代表", related_name="training_materials")
    session = optional_fk(TrainingSession, "在培训中发放", related_name="distributions")
    date = models.DateField("发放日期")
    quantity = models.PositiveIntegerField("数量（份）", default=1, validators=[MinValueValidator(1)])
    notes = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "资料发放"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deputy__isnull=False) | Q(session__isnull=False),
                name="training_distribution_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        to = self.deputy.name if self.deputy_id else (self.session.title if self.session_id else "")
        return f"{self.material} → {to}"

    def get_absolute_url(self) -> str:
        return reverse("training:material_detail", args=[self.material_id])

    def clean(self) -> None:
        if not self.deputy_id and not self.session_id:
            raise ValidationError("请选择发放对象：某位代表，或在某次培训中发放。")
