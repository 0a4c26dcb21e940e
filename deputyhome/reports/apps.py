from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "deputyhome.reports"
    label = "reports"
