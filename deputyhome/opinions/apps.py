from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "deputyhome.opinions"
    label = "opinions"

    def ready(self) -> None:
        """Hands core this app's menu entries and 待办 tiles (core imports no app above it)."""
        from deputyhome.core import registry
        from deputyhome.organisation.selectors import township_label

        from .nav import nav_items, station_public_link, station_qr_link, station_schedule_link
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        # The station's staff page (organisation) links to its schedule, public page and QR code here.
        registry.register_link("station_schedule", station_schedule_link)
        registry.register_link("station_public", station_public_link)
        registry.register_link("station_qr", station_qr_link)
        # A pairing's village (search-as-you-type past 100: a province has some 12,000 villages).
        registry.register_choices(
            "village",
            registry.ChoiceSource(
                _villages,
                search=("name", "code", "parent__name"),
                label=township_label,
                placeholder="输入村（社区）名称搜索",
            ),
        )


def _villages(user):
    from .selectors import village_choices

    return village_choices(user=user)
