from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "deputyhome.suggestions"
    label = "suggestions"

    def ready(self) -> None:
        """Hands core this app's 待办 tiles and the desk that heads them (core imports no app above it)."""
        from deputyhome.core import registry

        from .nav import nav_items
        from .queues import desk_link
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        registry.register_desk(desk_link)
        registry.register_layout(committee)
        # The categories a search-as-you-type filter searches (a province's townships may keep their own).
        registry.register_choices(
            "category", registry.ChoiceSource(_categories, search=("name", "region__name"), label=_category_label)
        )
        # The units of the city congress over the user's township: where a township forwards a suggestion.
        registry.register_choices(
            "city_unit", registry.ChoiceSource(_city_units, search=("name",), placeholder="输入市级单位名称搜索")
        )


def committee(request) -> dict:
    """The committee's name for the header of printed pages (the register, a course, a scorecard)."""
    from django.conf import settings

    return {"committee_name": settings.COMMITTEE_NAME}


def _categories(user):
    from .models import Category

    return Category.objects.select_related("region").order_by("order", "name")


def _category_label(category) -> str:
    return f"{category.name}（{category.region.name}）" if category.region_id else category.name


def _city_units(user):
    from .selectors import city_unit_choices

    return city_unit_choices(user=user)
