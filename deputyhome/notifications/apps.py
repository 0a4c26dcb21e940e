from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "deputyhome.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Hands core the unread-notifications badge of the layout (core imports no app above it), and the system
        administrator's 发送失败的通知 tile."""
        from deputyhome.core import registry

        from .context_processors import unread
        from .todo import tiles

        registry.register_layout(unread)
        registry.register_todo(tiles)
