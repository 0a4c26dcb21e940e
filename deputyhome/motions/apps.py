from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "deputyhome.motions"
    label = "motions"
    verbose_name = "议案与会议"

    def ready(self) -> None:
        """Hands core this app's menu entries, 待办 tiles and the congress page's links to its sessions."""
        from deputyhome.audit.labels import register_verbs
        from deputyhome.core import registry
        from deputyhome.organisation.selectors import session_label

        from .choices import MotionAction
        from .nav import nav_items, session_links
        from .selectors import session_choices
        from .todo import tiles

        registry.register_nav(nav_items)
        registry.register_todo(tiles)
        registry.register_link("sessions", session_links)
        register_verbs("motion", dict(MotionAction.choices))  # the audit log's names of a motion's steps
        # A suggestion's page shows the motion it came from: its row says whether there is one.
        from deputyhome.suggestions.selectors import flag_rows

        flag_rows("motion")
        registry.register_choices(
            "session",
            registry.ChoiceSource(
                session_choices, search=("name", "congress__name"), label=session_label, placeholder="输入会议名称搜索"
            ),
        )
