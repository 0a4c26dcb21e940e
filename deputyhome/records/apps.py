from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "deputyhome.records"
    label = "records"
