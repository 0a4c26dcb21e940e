from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "deputyhome.reports"
    label = "reports"

    def ready(self) -> None:
        """Hands core the home page's figures (core imports no app above it), and the activity statistics the
        voter opinions received (activities may not import opinions, its sibling above it)."""
        from deputyhome.activities.selectors import register_figure
        from deputyhome.core import registry
        from deputyhome.opinions.selectors import opinions_count

        from .home import home_figures

        registry.register_home(home_figures)
        register_figure("opinions_received", opinions_count)
