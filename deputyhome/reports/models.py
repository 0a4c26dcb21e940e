"""The annual report's texts that the committee's clerk writes: 存在的问题 and 下一步工作."""

from __future__ import annotations

from django.db import models

from deputyhome.core.models import TimeStampedModel


class AnnualReportText(TimeStampedModel):
    """The clerk's edited 存在的问题 and 下一步工作 of one year's report for one region (the city or a township).

    The report drafts both from the data; once saved here, the export uses these texts instead of the drafts.
    Written through `reports.services.annual_report_text_save`, which records the audit row.
    """

    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey("organisation.Region", on_delete=models.CASCADE, related_name="+", verbose_name="区域")
    problems = models.TextField("存在的问题")
    next_steps = models.TextField("下一步工作")

    class Meta:
        verbose_name = verbose_name_plural = "年度报告文字"
        constraints = [models.UniqueConstraint(fields=["year", "region"], name="reports_annualtext_year_region")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年"
