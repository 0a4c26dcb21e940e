"""Deputies' suggestions (代表建议、批评和意见) and everything that happens to them on their legal course."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from deputyhome.core.models import ChoiceLabels, NumberedTitle, TimeStampedModel, optional_fk, user_fk

from .choices import (
    Action,
    AssignmentStatus,
    ConsultationWay,
    ExtensionStatus,
    ReturnReason,
    ReviewStatus,
    Satisfaction,
    State,
    SupervisionMethod,
    UnitRole,
)


class Category(models.Model):
    """A suggestion category (经济建设、城乡建设与管理, ...): a configurable list."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)
    # Empty: a category of every congress's list; a township's own categories carry its region.
    region = optional_fk("organisation.Region", "所属人大区域", help_text="留空为各级通用；乡镇人大自设的分类填写乡镇")

    class Meta:
        verbose_name = verbose_name_plural = "建议分类"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ResultClass(models.Model):
    """One class of a reply's result scheme (default A/B/C); B and C carry a follow-up."""

    code = models.CharField("代码", max_length=8, unique=True)
    label = models.CharField("名称", max_length=60)
    needs_follow_up = models.BooleanField("需跟踪落实", default=False)
    score_weight = models.DecimalField(
        "计分系数",
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0至1：办理结果一项按此比例得分（如A类1、B类0.8、C类0.5）",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理结果分类"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code}类 {self.label}"


class Policy(models.Model):
    """The periods of the course for one year; the newest year at or before a date applies.

    A row without a region is the default of every congress; a congress may keep its own rows (its
    region: a township's for its presidium's office), which then apply to its suggestions instead.

    Defaults follow the Law on Deputies and common local rules: reply within 3 months of
    assignment, 6 when complex; a unit may return a wrong assignment within 7 working days;
    co-units answer the lead unit within 1 month; re-handling gets 1 month; deputies have
    20 working days to evaluate; an extension adds at most 3 months.
    """

    year = models.PositiveSmallIntegerField("年度")
    # Empty: the default of every congress; a congress's own periods carry its region.
    region = optional_fk(
        "organisation.Region", "所属人大区域", help_text="留空为各级人大的默认设置；乡镇人大自设的期限填写乡镇"
    )
    handling_months = models.PositiveSmallIntegerField("办理期限（月）", default=3)
    complex_handling_months = models.PositiveSmallIntegerField("复杂建议办理期限（月）", default=6)
    unit_return_workdays = models.PositiveSmallIntegerField("交办有误退回期限（工作日）", default=7)
    co_opinion_months = models.PositiveSmallIntegerField("协办意见期限（月）", default=1)
    rehandling_months = models.PositiveSmallIntegerField("重新办理期限（月）", default=1)
    evaluation_workdays = models.PositiveSmallIntegerField("代表评价期限（工作日）", default=20)
    max_extension_months = models.PositiveSmallIntegerField("最长延期（月）", default=3)
    due_soon_workdays = models.PositiveSmallIntegerField("临期提醒（工作日）", default=10)

    class Meta:
        verbose_name = verbose_name_plural = "办理期限设置"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(region__isnull=True),
                name="policy_default_unique_per_year",
                violation_error_message="该年度的默认办理期限已设置，请编辑原有设置。",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(region__isnull=False),
                name="policy_unique_per_region_year",
                violation_error_message="本级人大该年度的办理期限已设置，请编辑原有设置。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年办理期限设置" + (f"（{self.region}）" if self.region_id else "")


def _tracking_token() -> str:
    return secrets.token_urlsafe(12)


# The states in which a unit handles a suggestion (its due date runs); the board's overdue queue.
HANDLING_STATES = (State.ASSIGNED, State.HANDLING, State.REHANDLING)


class Suggestion(NumberedTitle, ChoiceLabels, TimeStampedModel):
    """A deputy's suggestion, criticism or opinion, from draft to its closing evaluation.

    `state` moves only through `workflow.transition` inside a service. `number` is given at
    registration, without gaps, within the session (or within the year in recess).
    """

    title = models.CharField("标题", max_length=200)
    situation = models.TextField("基本情况", blank=True)
    reasons = models.TextField("存在问题及原因", blank=True)
    proposals = models.TextField("意见建议", blank=True)
    author = models.ForeignKey(
        "deputies.Deputy", verbose_name="领衔代表", on_delete=models.PROTECT, related_name="suggestions"
    )
    created_by = user_fk("录入人")
    region = optional_fk(
        "organisation.Region", "所属乡镇", help_text="提交时领衔代表所属乡镇，用于按乡镇统计和数据范围"
    )
    # The congress that receives and runs it: the city's (its 代工委) or a township's (the presidium's office).
    congress = optional_fk("organisation.Congress", "受理人大", related_name="suggestions")
    session = optional_fk(
        "organisation.Session",
        "会议",
        related_name="suggestions",
        help_text="会议期间提出的建议填写所属会议；闭会期间留空",
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    state = models.CharField("状态", max_length=24, choices=State.choices, default=State.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=24, choices=ReturnReason.choices, blank=True)
    return_note = models.TextField("退回说明", blank=True)
    number = models.PositiveIntegerField("编号", null=True, blank=True)
    category = optional_fk(Category, "分类", related_name="suggestions")
    registered_on = models.DateField("立案日期", null=True, blank=True)
    is_complex = models.BooleanField("涉及面广、办理难度大", default=False)
    requirements = models.TextField("办理要求", blank=True)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True, db_index=True)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    consultation_waived = models.BooleanField("免予面商", default=False)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    evaluation_due_on = models.DateField("评价期限", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    result_class = optional_fk(ResultClass, "办理结果")
    follow_up_on = models.DateField("跟踪落实日期", null=True, blank=True, db_index=True)
    is_key = models.BooleanField("重点督办", default=False, db_index=True)
    key_leader = models.CharField("督办领导", max_length=50, blank=True)
    publish_reply = models.BooleanField("答复可公开", default=False)
    public_token = models.CharField(max_length=32, unique=True, default=_tracking_token, editable=False)
    merged_into = optional_fk("self", "并入", related_name="merged", help_text="并案后由主建议统一答复；编号保留")

    class Meta:
        verbose_name = verbose_name_plural = "代表建议"
        ordering = ["-year", "number", "-id"]
        # The register's default order (newest number first, then id, as RegisterView sorts): the first page
        # walks this index instead of sorting every suggestion of the province.
        # The supervisors' board lists its queues by due date (the open key suggestions; those being handled,
        # overdue or in rehandling): partial indexes on the due date of those few among the province's many,
        # so that each queue's first rows are read in order instead of filtered out of every due date.
        indexes = [
            models.Index(fields=["-number", "id"], name="suggestion_number_desc_id"),
            models.Index(
                fields=["due_on"], condition=Q(is_key=True) & ~Q(state=State.CLOSED), name="suggestion_key_open_due"
            ),
            # With the id: a queue's first rows in order (due date, then id), and a unit's overdue assignments
            # joined to the province's overdue suggestions from the index alone.
            models.Index(
                fields=["due_on", "id"], condition=Q(state__in=HANDLING_STATES), name="suggestion_handling_due_id"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=Q(number__isnull=False, session__isnull=False),
                name="suggestion_number_unique_in_session",
            ),
            models.UniqueConstraint(
                fields=["congress", "year", "number"],
                condition=Q(number__isnull=False, session__isnull=True),
                name="suggestion_number_unique_in_recess_year",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("suggestions:detail", args=[self.pk])

    @property
    def in_session(self) -> bool:
        return self.session_id is not None


class CoSigner(models.Model):
    """A deputy who co-signs a joint suggestion; counts once they confirm."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="联名代表", on_delete=models.PROTECT, related_name="cosigned"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "联名代表"
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_unique")]

    def __str__(self) -> str:
        return str(self.deputy)


class Assignment(ChoiceLabels, TimeStampedModel):
    """A handling unit's part in a suggestion: lead (主办) or co-unit (协办), with its own dates."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organisation.HandlingUnit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("承办类型", max_length=8, choices=UnitRole.choices)
    status = models.CharField("状态", max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE)
    assigned_on = models.DateField("交办日期")
    received_on = models.DateField("签收日期", null=True, blank=True)
    return_by = models.DateField("可申请退回至", null=True, blank=True)
    returned_on = models.DateField("退回日期", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    opinion_due_on = models.DateField("协办意见期限", null=True, blank=True)
    opinion = models.TextField("协办意见", blank=True)
    opinion_on = models.DateField("协办意见日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "交办记录"
        ordering = ["-role", "id"]  # "lead" sorts after "co": descending puts the lead unit first
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role="lead", status="active"),
                name="one_active_lead_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


class Consultation(models.Model):
    """The lead unit's contact with the deputy before replying (沟通联系／面商)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    date = models.DateField("日期")
    way = models.CharField("方式", max_length=12, choices=ConsultationWay.choices)
    notes = models.TextField("情况", blank=True)
    recorded_by = user_fk()

    class Meta:
        verbose_name = verbose_name_plural = "沟通联系记录"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_way_display()}"


class Extension(ChoiceLabels, models.Model):
    """A request by the lead unit for more time; staff approve, at most the policy's maximum in all."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField("延期（月）")
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=12, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    old_due_on = models.DateField("原期限")
    new_due_on = models.DateField("新期限", null=True, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"延期{self.months}个月（{self.get_status_display()}）"


class Reply(ChoiceLabels, models.Model):
    """The lead unit's answer in one round, reviewed by staff before the deputy sees it."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    text = models.TextField("答复内容")
    result_class = models.ForeignKey(ResultClass, verbose_name="办理结果", on_delete=models.PROTECT, related_name="+")
    publishable = models.BooleanField("可公开", default=False)
    follow_up_on = models.DateField("跟踪落实日期", null=True, blank=True)
    submitted_on = models.DateField("答复日期")
    review_status = models.CharField("审核", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "答复"
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"第{self.round}轮答复（{self.result_class.code}类）"


class Evaluation(ChoiceLabels, models.Model):
    """A deputy's rating of one round's reply, for attitude and for result; or the record that none came."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    attitude = models.CharField("办理态度", max_length=16, choices=Satisfaction.choices, blank=True)
    result = models.CharField("办理结果", max_length=16, choices=Satisfaction.choices, blank=True)
    comment = models.TextField("意见", blank=True)
    no_response = models.BooleanField("逾期未评价", default=False)
    evaluated_on = models.DateField("评价日期")

    class Meta:
        verbose_name = verbose_name_plural = "代表评价"
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy", "round"], name="evaluation_unique")]

    def __str__(self) -> str:
        return "逾期未评价" if self.no_response else f"{self.get_attitude_display()}/{self.get_result_display()}"


class Attachment(models.Model):
    """A file attached to a suggestion (by the deputy), to a reply (by the unit), or to a city unit's answer to a
    forwarded matter (答复函)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    reply = optional_fk(Reply, related_name="attachments", on_delete=models.CASCADE)
    forward = optional_fk("suggestions.Forward", related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField("文件", upload_to="suggestions/%Y/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = user_fk()
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Event(ChoiceLabels, models.Model):
    """One step on a suggestion's timeline: who did what, from which state to which, with what note."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    on = models.DateField("业务日期")
    actor = optional_fk(settings.AUTH_USER_MODEL)
    actor_label = models.CharField("操作方", max_length=100, blank=True)
    action = models.CharField("操作", max_length=24, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=24, choices=State.choices, blank=True)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理过程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.action}"


class RegisterCounter(models.Model):
    """The last number given in one numbering scope ("session:<id>", or "recess:<congress id>:<year>").

    Locked with select_for_update while registering, so numbers come without gaps or clashes.
    """

    scope = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "立案编号计数"

    def __str__(self) -> str:
        return f"{self.scope}: {self.last}"


class SupervisionRecord(ChoiceLabels, models.Model):
    """A record of supervision (督办): how it was done, when, what was found and what follows.

    A step of the suggestion's course (Action.SUPERVISE), and what marks a B/C commitment as
    followed up; it was born in the supervision app and keeps that app's table.
    """

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supervision_records")
    method = models.CharField("督办方式", max_length=12, choices=SupervisionMethod.choices)
    date = models.DateField("日期")
    findings = models.TextField("督办情况")
    follow_up = models.TextField("后续要求", blank=True)
    recorded_by = user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "supervision_supervisionrecord"
        verbose_name = verbose_name_plural = "督办记录"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_method_display()}"


# A township's forward of a matter up to a city unit, beside the suggestion's own course; the committee's
# memory: past years' ledgers, the trained routing model, staff routing choices.
from .forward_models import Forward  # noqa: E402, F401
from .history_models import HistoricalSuggestion, RoutingChoice, RoutingModel  # noqa: E402, F401
