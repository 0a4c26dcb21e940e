from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "deputyhome.opinions"
    label = "opinions"

    def ready(self) -> None:
        """Hands core this app's menu entries and 待办 tiles (core imports no app above it)."""
        from deputyhome.audit.labels import register_verbs
        from deputyhome.core import registry
        from deputyhome.organisation.selectors import township_label

        from .nav import nav_items, station_public_link, station_qr_link, station_schedule_link
        from .selectors import reception_choices, reception_label, slot_choices, village_choices
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        # The audit log's names of what happens to an opinion (opinion.forward: 群众意见：转交承办单位).
        register_verbs("opinion", OPINION_VERBS)
        # The station's staff page (organisation) links to its schedule, public page and QR code here.
        registry.register_link("station_schedule", station_schedule_link)
        registry.register_link("station_public", station_public_link)
        registry.register_link("station_qr", station_qr_link)
        # A pairing's village (search-as-you-type past 100: a province has some 12,000 villages).
        registry.register_choices(
            "village",
            registry.ChoiceSource(
                village_choices,
                search=("name", "code", "parent__name"),
                label=township_label,
                placeholder="输入村（社区）名称搜索",
            ),
        )
        # An opinion's reception and a reception's schedule (every station keeps its own, year after year).
        registry.register_choices(
            "reception",
            registry.ChoiceSource(
                reception_choices,
                search=("station__name", "date"),
                label=reception_label,
                placeholder="输入家站名称或日期搜索",
            ),
        )
        registry.register_choices(
            "slot", registry.ChoiceSource(slot_choices, search=("station__name",), placeholder="输入家站名称搜索")
        )


OPINION_VERBS = {
    "submit": "群众提交",
    "record": "登记",
    "reply": "答复群众",
    "forward": "转交承办单位",
    "merge": "合并重复意见",
    "to_problem": "转为问题",
    "to_suggestion": "转为代表建议",
}
