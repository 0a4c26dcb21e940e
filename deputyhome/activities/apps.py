from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "deputyhome.activities"
    label = "activities"

    def ready(self) -> None:
        """Hands core this app's menu entries and 待办 tiles (core imports no app above it)."""
        from deputyhome.core import registry

        from .nav import nav_items
        from .selectors import activity_choice_label, activity_choices
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        # A suggestion's page shows the problems it came from: its row says whether there are any.
        from deputyhome.suggestions.selectors import flag_rows

        flag_rows("source_problems")
        # The activity a problem came from (search-as-you-type past 100: a province records thousands a year).
        registry.register_choices(
            "activity",
            registry.ChoiceSource(
                activity_choices,
                search=("topic", "place"),
                label=activity_choice_label,
                placeholder="输入活动主题或地点搜索",
            ),
        )
