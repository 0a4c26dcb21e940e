"""The auditor's page keeps its addresses and names (audit:list) now that it lives in accounts."""

from django.urls import path

from . import audit_log

app_name = "audit"
urlpatterns = [
    path("", audit_log.AuditList.as_view(), name="list"),
]
