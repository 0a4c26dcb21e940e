from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "deputyhome.training"
    label = "training"

    def ready(self) -> None:
        """Hands core this app's menu entries, 待办 tiles and search-as-you-type choices (core imports no app above it)."""
        from deputyhome.core import registry

        from .nav import nav_items
        from .selectors import register_choices
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        register_choices()
