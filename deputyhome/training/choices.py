from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganiserLevel(models.TextChoices):
    """Who organises a plan or a session: the city standing committee or a township's congress office."""

    CITY = "city", _("市级")
    TOWNSHIP = "township", _("乡镇级")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")


class SessionKind(models.TextChoices):
    INITIAL = "initial", _("初任培训")
    SPECIAL = "special", _("专题培训")
    MEETING = "meeting", _("以会代训")
    ONSITE = "onsite", _("现场教学")
    LECTURE = "lecture", _("专家授课")
    EXCHANGE = "exchange", _("学员交流")
    SELF_STUDY = "self_study", _("个人自学")


class AttendanceStatus(models.TextChoices):
    # An invitation starts as pending; staff or the deputy's own sign-in settle it.
    PENDING = "pending", _("未签到")
    PRESENT = "present", _("到会")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class SignInWay(models.TextChoices):
    STAFF = "staff", _("工作人员登记")
    SELF = "self", _("本人签到码签到")
