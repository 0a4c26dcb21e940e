from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "deputyhome.supervision"
    label = "supervision"
