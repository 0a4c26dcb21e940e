from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "deputyhome.organisation"
    label = "organisation"

    def ready(self) -> None:
        from .selectors import register_choices

        register_choices()
