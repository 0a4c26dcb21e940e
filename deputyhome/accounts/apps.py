from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deputyhome.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Connects the login audit receivers; hands core the administrators' menu entries and 待办 and the audit log the
        names of the export actions (core and audit import nothing from here)."""
        from deputyhome.audit.labels import register_actions
        from deputyhome.core import registry

        from . import services  # noqa: F401  (connects the login audit receivers)
        from .export_rights import action_names
        from .nav import nav_items
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        register_actions(action_names())
