"""Statuses and kinds of the opinions app (voter opinions, receptions, pairings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionStatus(models.TextChoices):
    """Where a voter opinion (社情民意) stands; the public status page shows these words."""

    NEW = "new", _("待处理")
    REPLIED = "replied", _("已答复")
    FORWARDED = "forwarded", _("已转交承办单位")
    MERGED = "merged", _("已合并处理")
    PROBLEM = "problem", _("已转为问题")
    SUGGESTION = "suggestion", _("已形成代表建议")


class Channel(models.TextChoices):
    """How an opinion came in."""

    ONLINE = "online", _("扫码留言")
    RECEPTION = "reception", _("接待选民")
    VISIT = "visit", _("走访")
    OTHER = "other", _("其他")


class Weekday(models.IntegerChoices):
    """ISO weekday numbers, as `date.isoweekday()` gives them."""

    MONDAY = 1, _("每周一")
    TUESDAY = 2, _("每周二")
    WEDNESDAY = 3, _("每周三")
    THURSDAY = 4, _("每周四")
    FRIDAY = 5, _("每周五")
    SATURDAY = 6, _("每周六")
    SUNDAY = 7, _("每周日")


class ContactWay(models.TextChoices):
    """How a deputy kept in touch with a paired household."""

    VISIT = "visit", _("入户走访")
    PHONE = "phone", _("电话联系")
    WECHAT = "wechat", _("微信联系")
    MEETING = "meeting", _("座谈交流")
    HELP = "help", _("帮扶办事")
    OTHER = "other", _("其他")
