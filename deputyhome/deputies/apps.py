from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "deputyhome.deputies"
    label = "deputies"

    def ready(self) -> None:
        """Deputies follow their group when it moves station, and a congress's page links to its 换届 (organisation
        imports no app above it); the administrators' 开通代表账号 hangs off their pages; `check --deploy` asks for an
        SMS gateway for 首次登录短信验证."""
        from django.core import checks

        from deputyhome.core import registry
        from deputyhome.organisation.services import group_moved

        from .first_login import sms_gateway_check
        from .nav import nav_items
        from .selectors import register_choices
        from .term_views import term_change_link, term_undo_link
        from .todo import page_link, tiles

        registry.register_nav(nav_items)
        registry.register_link("congress_term_change", term_change_link)
        registry.register_link("congress_term_undo", term_undo_link)
        registry.register_link("deputy_accounts", page_link)  # the user register's link to 开通代表账号
        registry.register_todo(tiles)
        register_choices()
        checks.register(sms_gateway_check, checks.Tags.security, deploy=True)
        group_moved.connect(_members_follow_group, dispatch_uid="deputies.members_follow_group")


def _members_follow_group(sender, *, group, **kwargs) -> None:
    """A group moved station: its current members follow it to the new township (a deputies service)."""
    from .services import deputies_resync_region

    deputies_resync_region(group=group)
