"""Sessions as working objects (delegations and their members) and motions (议案) with their signers.

A congress's session (`organisation.Session`) has delegations (代表团: at a city congress one per
township-level unit), each with dated members, a head among them. Motions are filed at a session by a
delegation or jointly by deputies, checked by the secretariat and decided by the presidium; one converted
to a suggestion points to the suggestion it became (`Motion.suggestion`), which runs the suggestion course. A deputy's attendance at a session, with their
request for leave and its decision, is one `SessionAttendance` row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from deputyhome.core.models import NumberedTitle, TimeStampedModel, optional_fk, user_fk

from .choices import AttendanceStatus, Decision, DelegationRole, LeaveState, MotionAction, MotionKind, MotionState

DEFAULT_REVIEW_MONTHS = 6
# The Organic Law of Local Congresses: 10 or more deputies at county level and above, 5 or more at a township.
DEFAULT_MIN_SIGNERS = {"township": 5}
DEFAULT_MIN_SIGNERS_ABOVE = 10


class MotionRules(TimeStampedModel):
    """A congress's rules for motions: how many deputies must sign a joint motion, and within how many
    months a special committee reports on a motion put on the agenda. A congress without a row here uses
    the defaults of its level (10 signers, 5 at a township congress; six months)."""

    congress = models.OneToOneField(
        "organisation.Congress", verbose_name="人民代表大会", on_delete=models.CASCADE, related_name="motion_rules"
    )
    min_signers = models.PositiveSmallIntegerField(
        "联名提出议案的最少代表人数",
        validators=[MinValueValidator(2, "联名提出议案的最少人数不能少于2人。")],
        help_text="县级以上人大默认10人，乡镇人大默认5人（含领衔代表）",
    )
    review_months = models.PositiveSmallIntegerField(
        "审议结果报告期限（月）",
        default=DEFAULT_REVIEW_MONTHS,
        validators=[
            MinValueValidator(1, "审议结果报告期限至少1个月。"),
            MaxValueValidator(24, "审议结果报告期限最长24个月。"),
        ],
        help_text="自主席团决定交付审议之日起计算",
    )

    class Meta:
        verbose_name = "议案规则"
        verbose_name_plural = "议案规则"
        ordering = ["congress__level", "congress__name"]

    def __str__(self) -> str:
        return f"{self.congress}议案规则"

    def get_absolute_url(self) -> str:
        return reverse("motions:motion_rules_update", args=[self.pk])


class Delegation(TimeStampedModel):
    """A delegation (代表团) at one session: at a city congress, the deputies of one township-level unit."""

    session = models.ForeignKey(
        "organisation.Session", verbose_name="会议", on_delete=models.CASCADE, related_name="delegations"
    )
    name = models.CharField("名称", max_length=100)
    region = optional_fk("organisation.Region", "所属乡镇（街道）")

    class Meta:
        verbose_name = "代表团"
        verbose_name_plural = "代表团"
        ordering = ["session", "region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="delegation_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("motions:delegation_detail", args=[self.pk])


class DelegationMember(TimeStampedModel):
    """A deputy's membership of a delegation with a role (团长, 副团长, 成员), over a period (both dates inclusive)."""

    delegation = models.ForeignKey(Delegation, verbose_name="代表团", on_delete=models.CASCADE, related_name="members")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="delegation_memberships"
    )
    role = models.CharField("职务", max_length=12, choices=DelegationRole.choices, default=DelegationRole.MEMBER)
    start_date = models.DateField("加入日期")
    end_date = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = "代表团成员"
        verbose_name_plural = "代表团成员"
        ordering = ["delegation", "role", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="delegation_member_dates_ordered",
                violation_error_message="退出日期不能早于加入日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.delegation} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.delegation.get_absolute_url()


class SessionAttendance(TimeStampedModel):
    """A deputy's attendance at a session (出席、请假、缺席) and their request for leave, one row per (session,
    deputy). `status` blank: not recorded yet (a pending request alone). A request is approved or refused by the
    session's staff; an approved one makes the status 请假. Written only by `services.attendance`."""

    session = models.ForeignKey(
        "organisation.Session", verbose_name="会议", on_delete=models.CASCADE, related_name="attendances"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="代表", on_delete=models.CASCADE, related_name="session_attendances"
    )
    status = models.CharField("出席情况", max_length=12, choices=AttendanceStatus.choices, blank=True, db_index=True)
    reason = models.CharField("请假事由", max_length=200, blank=True)
    leave_state = models.CharField("请假审批", max_length=12, choices=LeaveState.choices, blank=True, db_index=True)
    leave_requested_at = models.DateTimeField("请假申请时间", null=True, blank=True)
    leave_decided_by = optional_fk(settings.AUTH_USER_MODEL, "审批人")
    leave_decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    leave_refusal = models.CharField("不予批准的理由", max_length=200, blank=True)
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "登记人")
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议出席情况"
        ordering = ["session", "deputy"]
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="motions_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.session} · {self.get_status_display() or '未登记'}"

    def get_absolute_url(self) -> str:
        return reverse("motions:session_detail", args=[self.session_id])


class Motion(NumberedTitle, TimeStampedModel):
    """A motion (议案) filed at a session: one matter, with its subject (案由), grounds (案据) and proposed solution
    (方案). `state` moves only through the services; `number` is given on filing, in order within the session."""

    session = models.ForeignKey(
        "organisation.Session", verbose_name="会议", on_delete=models.PROTECT, related_name="motions"
    )
    kind = models.CharField("提出方式", max_length=12, choices=MotionKind.choices, default=MotionKind.JOINT)
    delegation = models.ForeignKey(
        Delegation,
        verbose_name="代表团",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
        help_text="代表团提出的议案为提出的代表团；联名议案为领衔代表所在代表团",
    )
    lead = models.ForeignKey(
        "deputies.Deputy", verbose_name="领衔代表", on_delete=models.PROTECT, related_name="led_motions"
    )
    region = optional_fk("organisation.Region", "所属乡镇", help_text="领衔代表（或代表团）所属乡镇，用于数据范围")
    created_by = user_fk("录入人")
    number = models.PositiveIntegerField("议案编号", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("案由", max_length=200)
    grounds = models.TextField("案据", blank=True)
    plan = models.TextField("方案", blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=MotionState.choices, default=MotionState.DRAFT, db_index=True
    )
    filed_at = models.DateTimeField("提出时间", null=True, blank=True)
    checked_on = models.DateField("审查日期", null=True, blank=True)
    refusal = models.TextField("不予受理理由", blank=True)
    decision = models.CharField("主席团决定", max_length=16, choices=Decision.choices, blank=True, db_index=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_note = models.TextField("决定说明", blank=True)
    committee = models.CharField("交付审议的专门委员会", max_length=100, blank=True)
    report_due_on = models.DateField("审议结果报告期限", null=True, blank=True)
    reported_on = models.DateField("审议结果报告日期", null=True, blank=True)
    report = models.TextField("审议结果报告", blank=True)
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name="转为建议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motion",
        help_text="不作为议案、作为建议处理时生成的代表建议",
    )

    class Meta:
        verbose_name = "议案"
        verbose_name_plural = "议案"
        ordering = ["-year", "number", "-id"]
        # The register's default order (newest filed first): a page is read off the index, not sorted from all.
        indexes = [models.Index(fields=["-filed_at", "id"], name="motion_filed_at_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], condition=Q(number__isnull=False), name="motion_number_unique_in_session"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("motions:detail", args=[self.pk])


class MotionSigner(models.Model):
    """A deputy who signs a motion: the lead (confirmed on filing) or a co-signer, who confirms and may withdraw
    their name before the deadline. A withdrawn name stays on record with its date; it no longer counts."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="signers")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="联名代表", on_delete=models.PROTECT, related_name="motion_signatures"
    )
    is_lead = models.BooleanField("领衔", default=False)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回联名时间", null=True, blank=True)

    class Meta:
        verbose_name = "议案联名代表"
        verbose_name_plural = "议案联名代表"
        ordering = ["-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["motion", "deputy"], name="motion_signer_unique")]

    def __str__(self) -> str:
        return str(self.deputy)

    @property
    def counts(self) -> bool:
        return self.confirmed_at is not None and self.withdrawn_at is None


class MotionEvent(models.Model):
    """One step on a motion's timeline: who did what, from which state to which, with what note."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = optional_fk(settings.AUTH_USER_MODEL)
    actor_label = models.CharField("操作方", max_length=100, blank=True)
    action = models.CharField("操作", max_length=16, choices=MotionAction.choices)
    from_state = models.CharField("原状态", max_length=16, choices=MotionState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=MotionState.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "议案办理过程"
        verbose_name_plural = "议案办理过程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_action_display()}"
