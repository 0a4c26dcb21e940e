from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    ENDED = "ended", _("已终止")


class MandateEndReason(models.TextChoices):
    TERM_END = "term_end", _("任期届满")
    RESIGNED = "resigned", _("辞职")
    RECALLED = "recalled", _("罢免")
    MOVED = "moved", _("调离本行政区域")
    DECEASED = "deceased", _("去世")
    OTHER = "other", _("其他")


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    VICE_LEADER = "vice_leader", _("副组长")
    LIAISON = "liaison", _("联络员")
    MEMBER = "member", _("组员")


PARTIES = [
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
]

EDUCATIONS = ["研究生", "大学", "大专", "中专", "高中", "初中", "小学"]
