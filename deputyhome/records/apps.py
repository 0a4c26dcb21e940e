from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "deputyhome.records"
    label = "records"

    def ready(self) -> None:
        """Hands core the menu entries, the deputy page's link to the record and a station assessment's figures of
        the norms (core and activities import no app above them), and registers the city's lists computed ahead, of
        the deputies' norms (`records.station_visits`, `records.paired_households`: a `deputy_norms.DeputyNorm`
        registers its own when made) and of the groups' quarters (`records.group_quarters`); `precomputed` cannot
        import them: they read the selectors, which read `precomputed`."""
        from deputyhome.core import registry

        from . import group_quarters, households, visits  # noqa: F401
        from .nav import deputy_attendance_link, deputy_record_link, nav_items
        from .station_norms import station_norms
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_link("deputy_record", deputy_record_link)
        registry.register_link("deputy_attendance", deputy_attendance_link)
        registry.register_link("station_norms", station_norms)
        registry.register_todo(tiles)
