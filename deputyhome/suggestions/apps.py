from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "deputyhome.suggestions"
    label = "suggestions"

    def ready(self) -> None:
        """Hands core this app's 待办 tiles and the desk that heads them (core imports no app above it)."""
        from deputyhome.audit.labels import register_verbs
        from deputyhome.core import registry
        from deputyhome.organisation.selectors import session_label

        from .choices import Action
        from .history_models import RoutingChoice
        from .nav import nav_items
        from .queues import desk_link
        from .selectors import category_choices, city_unit_choices, congresses_for_entry, sessions_for_entry
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        registry.register_desk(desk_link)
        registry.register_layout(committee)
        # The audit log's names of the course's steps (suggestion.assign: 代表建议：交办).
        # suggestion.routing_<kind> (similarity.services): a choice made against the recommendation.
        routing = {f"routing_{kind}": f"选定{label}（对照推荐）" for kind, label in RoutingChoice.Kind.choices}
        register_verbs("suggestion", {**dict(Action.choices), **routing})
        # The categories a search-as-you-type filter searches (a province's townships may keep their own).
        registry.register_choices(
            "category", registry.ChoiceSource(category_choices, search=("name", "region__name"), label=_category_label)
        )
        # What an officer's entry names (a province has a thousand current congresses and five thousand sessions).
        registry.register_choices(
            "entry_congress",
            registry.ChoiceSource(
                congresses_for_entry, search=("name", "region__name"), placeholder="输入人大名称搜索"
            ),
        )
        registry.register_choices(
            "entry_session",
            registry.ChoiceSource(
                sessions_for_entry,
                search=("name", "congress__name"),
                label=session_label,
                placeholder="输入会议名称搜索",
            ),
        )
        # The units of the city congress over the user's township: where a township forwards a suggestion.
        registry.register_choices(
            "city_unit", registry.ChoiceSource(city_unit_choices, search=("name",), placeholder="输入市级单位名称搜索")
        )


def committee(request) -> dict:
    """The committee's name for the header of printed pages (the register, a course, a scorecard)."""
    from django.conf import settings

    return {"committee_name": settings.COMMITTEE_NAME}


def _category_label(category) -> str:
    return f"{category.name}（{category.region.name}）" if category.region_id else category.name
