"""Supervision's choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringRule(models.TextChoices):
    """What a scoring item measures; the computation for each is in scoring.py."""

    TIMELINESS = "timeliness", _("按期答复")
    CONSULTATION = "consultation", _("答复前沟通联系")
    REPLY_QUALITY = "reply_quality", _("答复一次审核通过")
    RESULT = "result", _("办理结果")
    SATISFACTION = "satisfaction", _("代表满意度")
    OVERDUE_DEDUCTION = "overdue_deduction", _("逾期答复扣分")
    DISSATISFIED_DEDUCTION = "dissatisfied_deduction", _("最终不满意扣分")
    KEY_CLOSED_BONUS = "key_closed_bonus", _("重点督办件办结加分")
