from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "deputyhome.reports"
    label = "reports"

    def ready(self) -> None:
        # The activity statistics show the voter opinions received; activities may not import
        # opinions (its sibling above it), so the count is handed to it from here, above both.
        from deputyhome.activities.selectors import register_figure
        from deputyhome.opinions.selectors import opinions_count

        register_figure("opinions_received", opinions_count)
