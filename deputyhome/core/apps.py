from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "deputyhome.core"
    label = "core"
