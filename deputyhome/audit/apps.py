from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "deputyhome.audit"
    label = "audit"
