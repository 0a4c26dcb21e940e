from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "deputyhome.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Hands core the unread-notifications badge of the layout (core imports no app above it)."""
        from deputyhome.core import registry

        from .context_processors import unread

        registry.register_layout(unread)
