from django.db import models
from django.utils.translation import gettext_lazy as _


class VoterReportStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    HELD = "held", _("已述职")
    CANCELLED = "cancelled", _("已取消")


class PointsRule(models.TextChoices):
    """What a duty-points item counts; the count for each comes from the duty record (records/figures.py)."""

    SESSION_ATTENDED = "session_attended", _("出席人民代表大会会议")
    TRAINING_HOUR = "training_hour", _("参加履职培训（按学时）")
    ACTIVITY_ATTENDED = "activity_attended", _("参加代表活动")
    RECEPTION = "reception", _("进站接待选民")
    OPINION_HANDLED = "opinion_handled", _("收集反映社情民意")
    SUGGESTION_LED = "suggestion_led", _("领衔提出建议")
    SUGGESTION_COSIGNED = "suggestion_cosigned", _("联名提出建议")
    REPORT_TO_VOTERS = "report_to_voters", _("向选民述职")
    HOUSEHOLD_CONTACT = "household_contact", _("联系结对户")
    UNEXCUSED_ABSENCE = "unexcused_absence", _("无故缺席会议、培训或活动")
