"""Reading the audit trail: only the audit administrator reads it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent


def event_list(*, user: Any) -> QuerySet[AuditEvent]:
    if not user.is_auditor:
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor")
