from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "deputyhome.reports"
    label = "reports"

    def ready(self) -> None:
        """Hands core the home page's figures (core imports no app above it)."""
        from deputyhome.core import registry

        from .home import home_figures

        registry.register_home(home_figures)
