"""A township's forward of a matter up to a city unit (转请上级办理).

A township congress's suggestion may raise a matter beyond the township's powers; its presidium's office
asks a unit of the city (市直单位) to handle that part and answer by a date of its own. The suggestion
stays the township's: it keeps its own course, units and deadlines; the forward runs beside it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from deputyhome.core.models import ChoiceLabels, TimeStampedModel, optional_fk, user_fk

from .choices import ForwardStatus


class Forward(ChoiceLabels, TimeStampedModel):
    """One matter of a township congress's suggestion forwarded to a city unit, with its own due date.

    Written only by `services.forwarding` (`suggestion_forward_up`, `forward_answer`, `forward_withdraw`);
    at most one pending forward per suggestion and unit.
    """

    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name="建议", on_delete=models.CASCADE, related_name="forwards"
    )
    unit = models.ForeignKey(
        "organisation.HandlingUnit", verbose_name="市级承办单位", on_delete=models.PROTECT, related_name="forwards"
    )
    forwarded_by = user_fk("转办人")
    forwarded_on = models.DateField("转办日期")
    due_on = models.DateField("答复期限", db_index=True)
    note = models.TextField("转办事项", help_text="请市级单位办理或答复的具体事项")
    status = models.CharField(
        "状态", max_length=12, choices=ForwardStatus.choices, default=ForwardStatus.PENDING, db_index=True
    )
    answer = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = optional_fk(settings.AUTH_USER_MODEL, "答复人")
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "转请市级办理"
        ordering = ["forwarded_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"], condition=Q(status="pending"), name="one_pending_forward_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"转{self.unit}（{self.get_status_display()}）"

    def is_overdue(self, today) -> bool:
        return self.status == ForwardStatus.PENDING and self.due_on < today
