"""The statuses of motions (议案) and delegations, with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MotionKind(models.TextChoices):
    """Who files the motion: a delegation (代表团), or deputies jointly (代表联名)."""

    DELEGATION = "delegation", _("代表团提出")
    JOINT = "joint", _("代表联名提出")


class MotionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已提出")
    ACCEPTED = "accepted", _("审查通过")
    REFUSED = "refused", _("不予受理")
    ON_AGENDA = "on_agenda", _("列入会议议程")
    NOT_ON_AGENDA = "not_on_agenda", _("不列入会议议程")
    CONVERTED = "converted", _("作为建议处理")
    REPORTED = "reported", _("已报告审议结果")
    WITHDRAWN = "withdrawn", _("已撤回")


class Decision(models.TextChoices):
    """The presidium's decision on a motion (主席团决定)."""

    ON_AGENDA = "on_agenda", _("列入会议议程，交专门委员会审议")
    NOT_ON_AGENDA = "not_on_agenda", _("不列入会议议程")
    CONVERTED = "converted", _("不作为议案，作为建议处理")


class MotionAction(models.TextChoices):
    CREATE = "create", _("起草")
    EDIT = "edit", _("修改")
    FILE = "file", _("提出")
    CONFIRM = "confirm", _("确认联名")
    UNSIGN = "unsign", _("撤回联名")
    WITHDRAW = "withdraw", _("撤回议案")
    CHECK = "check", _("审查")
    DECIDE = "decide", _("主席团决定")
    REPORT = "report", _("报告审议结果")


class MotionPart(models.TextChoices):
    """The parts a user plays on one motion (services.actor_parts)."""

    LEAD = "lead", _("领衔代表")
    SIGNER = "signer", _("联名代表")
    STAFF = "staff", _("大会秘书处（工作人员）")


class DelegationRole(models.TextChoices):
    HEAD = "head", _("团长")
    VICE_HEAD = "vice_head", _("副团长")
    MEMBER = "member", _("成员")


# The states in which a motion waits for someone: the secretariat's check, the presidium's decision.
OPEN_STATES = (MotionState.FILED, MotionState.ACCEPTED)


class AttendanceStatus(models.TextChoices):
    """A deputy's attendance at a session (会议出席情况). No row, or a row without a status: not recorded yet."""

    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class LeaveState(models.TextChoices):
    """A deputy's request for leave (请假申请), decided by the session's staff."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
