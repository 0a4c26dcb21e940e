from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "deputyhome.activities"
    label = "activities"

    def ready(self) -> None:
        """Hands core this app's menu entries and 待办 tiles (core imports no app above it)."""
        from deputyhome.core import registry

        from .nav import nav_items
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
                _activities,
                search=("topic", "place"),
                label=_activity_label,
                placeholder="输入活动主题或地点搜索",
            ),
        )


def _activities(user):
    from .selectors import activity_choices

    return activity_choices(user=user)


def _activity_label(activity) -> str:
    from .selectors import activity_choice_label

    return activity_choice_label(activity)
