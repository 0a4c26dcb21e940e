from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "deputyhome.supervision"
    label = "supervision"

    def ready(self) -> None:
        """Hands core this app's menu entries (core imports no app above it)."""
        from deputyhome.core import registry

        from .nav import nav_items

        registry.register_nav(nav_items)
