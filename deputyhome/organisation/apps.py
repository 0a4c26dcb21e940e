from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "deputyhome.organisation"
    label = "organisation"

    def ready(self) -> None:
        from deputyhome.core import registry

        from .nav import nav_items
        from .selectors import register_choices

        registry.register_nav(nav_items)
        register_choices()
