from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "deputyhome.motions"
    label = "motions"
    verbose_name = "议案与会议"

    def ready(self) -> None:
        """Hands core this app's menu entries, 待办 tiles and the congress page's links to its sessions."""
        from deputyhome.core import registry

        from .nav import nav_items, session_links
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        registry.register_link("sessions", session_links)
