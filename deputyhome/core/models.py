"""Shared base models and field helpers, and the test for rows valid over a period of dates."""

import datetime
import functools
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation


def active_on(date: datetime.date, prefix: str = "") -> Q:
    """Rows whose [start_date, end_date] contains `date`; both ends inclusive, an open end is open."""
    return Q(**{f"{prefix}start_date__lte": date}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": date})
    )


def optional_fk(
    to: str | type[models.Model],
    label: str | None = None,
    *,
    related_name: str = "+",
    on_delete: Any = models.PROTECT,
    field: type[models.ForeignKey] = models.ForeignKey,
    **options: Any,
) -> models.ForeignKey:
    """A reference that may be empty (null in the database, blank in forms), protected by default.

    `field=models.OneToOneField` for a one-to-one link. The helpers write a field where it is
    declared, so a model's columns keep their order: the backup manifest checksums rows in that
    order (core/backup.py), and a field moved into an abstract base would come first and make
    older backups fail to verify.
    """
    return field(
        to, verbose_name=label, null=True, blank=True, on_delete=on_delete, related_name=related_name, **options
    )


def user_fk(label: str | None = None, **options: Any) -> models.ForeignKey:
    """The user who entered, recorded or uploaded a row: never deleted while referenced, no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, on_delete=models.PROTECT, related_name="+", **options
    )


@functools.lru_cache(maxsize=256)
def _choice_labels(field: models.Field, language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """A mixin for models whose `get_<field>_display()` is shown once per row of a long list (a timeline, a table):
    the label from a table built once per field and language (the choices are the fields' fixed TextChoices).
    Django's own builds a dict of every choice on each call, translating each label (≈150 µs for a field of 30
    choices); a value not among the choices shows as it is, as there."""

    def _get_FIELD_display(self, field: models.Field) -> Any:
        value = getattr(self, field.attname)
        try:
            return _choice_labels(field, translation.get_language()).get(value, value)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)  # type: ignore[misc]


def number_label(number: int | None) -> str:
    """第12号, or "" before a number is given."""
    return f"第{number}号" if number else ""


class NumberedTitle:
    """A numbered matter (a suggestion, a motion) named by its number and title: 第12号 关于……的建议."""

    number: int | None
    title: str

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}".strip()

    @property
    def number_label(self) -> str:
        return number_label(self.number)


class TimeStampedModel(models.Model):
    """Abstract base: creation and last-change timestamps on every business table."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Upload(models.Model):
    """Abstract base: a file a user uploaded, with its original name and size, oldest first.

    The concrete model declares `file` itself, since each kind of upload has its own folder.
    """

    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = user_fk()
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class CreatedBy(models.Model):
    """Abstract base: the user who entered the row (录入人); scopes let everyone see what they entered."""

    created_by = user_fk("录入人")

    class Meta:
        abstract = True


class InTownship(models.Model):
    """Abstract base: the township-level region a row concerns, when known; region scopes filter on it.

    A lazy reference to `organisation.Region`, so core imports no domain app.
    """

    region = optional_fk("organisation.Region", "所属乡镇")

    class Meta:
        abstract = True


class RepliedBy(models.Model):
    """Abstract base: the user who gave the reply (答复人), empty until someone has."""

    replied_by = optional_fk(settings.AUTH_USER_MODEL, "答复人")

    class Meta:
        abstract = True


class YearlyScheme(models.Model):
    """Abstract base: a scheme that holds for one year (records' duty points, supervision's unit scoring).

    The concrete model declares `name`, with its own default title.
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    name: str

    class Meta:
        abstract = True
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class CalendarOverride(TimeStampedModel):
    """An administrator's correction to the working-day calendar for one date.

    Deadlines count working days from the `chinese_calendar` package (official holidays and
    adjusted workdays, 调休). An override wins over the package: it covers a year the package
    has no data for yet (the State Council publishes next year's holidays each autumn, before
    the package is updated) and local arrangements. Written through
    `deputyhome.core.calendar_services`, which records the audit row.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "上班",
        default=False,
        help_text="勾选：当天为工作日（即使日历为休息日，如调休上班）；不勾选：当天为休息日。",
    )
    note = models.CharField("说明", max_length=100, help_text="例如：2027年春节")

    class Meta:
        verbose_name = verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "休息"
        return f"{self.date:%Y-%m-%d} {kind}"
