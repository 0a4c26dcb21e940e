from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "deputyhome.core"
    label = "core"

    def ready(self) -> None:
        from .converters import register

        register()
