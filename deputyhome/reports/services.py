"""Writes of the reports app: the clerk's texts of the annual report, audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from deputyhome.audit.services import diff, record
from deputyhome.organisation.models import Region

from .models import AnnualReportText

MAX_CHARS = 5000


@transaction.atomic
def annual_report_text_save(
    *, year: int, region: Region, problems: str, next_steps: str, actor: Any
) -> AnnualReportText:
    """Save the year's 存在的问题 and 下一步工作 for `region`; the export uses them from now on."""
    data = {"problems": problems.strip(), "next_steps": next_steps.strip()}
    for key, label in (("problems", "存在的问题"), ("next_steps", "下一步工作")):
        if not data[key]:
            raise ValidationError({key: f"请填写“{label}”。"})
        if len(data[key]) > MAX_CHARS:
            raise ValidationError({key: f"“{label}”不能超过{MAX_CHARS}字（现为{len(data[key])}字）。"})
    text = AnnualReportText.objects.select_for_update().filter(year=year, region=region).first()
    if text is None:
        text = AnnualReportText.objects.create(year=year, region=region, **data)
        changes = {"year": [None, year], "region": [None, str(region)], **{k: [None, v] for k, v in data.items()}}
        record(actor=actor, action="annualreporttext.create", obj=text, changes=changes)
        return text
    changes = diff(text, data)
    if changes:
        for key, value in data.items():
            setattr(text, key, value)
        text.save()
        record(actor=actor, action="annualreporttext.update", obj=text, changes=changes)
    return text
