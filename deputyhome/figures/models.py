"""Yearly figures computed ahead: a snapshot per figure and key, valid until an audit event changes its sources."""

from django.db import models


class FigureSnapshot(models.Model):
    """One computed figure (e.g. a congress's unit scores for a year), as JSON, with when and as of what."""

    name = models.CharField("统计", max_length=64)
    key = models.CharField("范围", max_length=128)
    value = models.JSONField("结果")
    computed_at = models.DateTimeField("计算时间")
    # The newest audit event when the computation began: an event after it on a source app makes the snapshot stale.
    as_of_event = models.BigIntegerField("截至审计事件", default=0)
    seconds = models.FloatField("计算用时（秒）", default=0)
    # The figure's `version` when computed (figures.cache.Figure): a snapshot of another version is never served.
    version = models.PositiveIntegerField("格式版本", default=1)

    class Meta:
        verbose_name = "预先计算的统计"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="figure_snapshot_name_key")]

    def __str__(self) -> str:
        return f"{self.name}[{self.key}]"
