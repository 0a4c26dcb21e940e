"""A suggestion taken through the services up to its registration, for the tests that start from there."""

from __future__ import annotations

from deputyhome.suggestions import services as sv


def registered_suggestion(people, session, categories, title: str = "关于停车难的建议", **create):
    """The deputy persona's suggestion (more parking places), submitted, and registered by the city officer
    under 城乡建设与管理; `create` passes more to the draft (its files)."""
    cats, _ = categories
    s = sv.suggestion_create(
        author=people["deputy"].deputy,
        data={"title": title, "proposals": "增设停车位", "session": session},
        actor=people["deputy"],
        **create,
    )
    sv.suggestion_submit(suggestion=s, actor=people["deputy"])
    return sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=people["city"])
