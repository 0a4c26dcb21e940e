from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardGroup(models.TextChoices):
    """The three parts of the station checklist (DOMAIN.md, "The standards for homes and stations")."""

    FIVE_HAVES = "five_haves", _("五有")
    FIVE_UNIFORMS = "five_uniforms", _("五统一")
    NORMS = "norms", _("站点规范")


class ItemStatus(models.TextChoices):
    MET = "met", _("达标")
    PARTLY = "partly", _("部分达标")
    NOT_MET = "not_met", _("未达标")


class RuleCategory(models.TextChoices):
    DUTIES = "duties", _("站点工作职责")
    TRAINING = "training", _("代表学习培训")
    RECEPTION = "reception", _("联系接待选民")
    REPORTING = "reporting", _("代表述职")
    OPINIONS = "opinions", _("代表意见处理")
    OTHER = "other", _("其他")


class ActivityKind(models.TextChoices):
    RESEARCH = "research", _("调研")
    INSPECTION = "inspection", _("视察")
    ENFORCEMENT_CHECK = "enforcement_check", _("执法检查")
    VISIT = "visit", _("走访")
    RECEPTION = "reception", _("接待选民")
    FORUM = "forum", _("座谈")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class OrganiserLevel(models.TextChoices):
    COMMITTEE = "committee", _("市人大常委会")
    TOWNSHIP = "township", _("乡镇（街道）人大")
    GROUP = "group", _("代表小组")


class Attendance(models.TextChoices):
    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class OutputKind(models.TextChoices):
    RESEARCH_REPORT = "research_report", _("调研报告")
    REVIEW_OPINION = "review_opinion", _("审议意见")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    CLOSED = "closed", _("当场解决")
    FORWARDED = "forwarded", _("转交办理")
    SUGGESTION = "suggestion", _("形成建议")


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    REPLIED = "replied", _("已答复")
