from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "deputyhome.deputies"
    label = "deputies"

    def ready(self) -> None:
        """Deputies follow their group when it moves station (organisation imports no app above it)."""
        from deputyhome.core import registry
        from deputyhome.organisation.services import group_moved

        from .nav import nav_items
        from .selectors import register_choices

        registry.register_nav(nav_items)
        register_choices()
        group_moved.connect(_members_follow_group, dispatch_uid="deputies.members_follow_group")


def _members_follow_group(sender, *, group, **kwargs) -> None:
    """A group moved station: its current members follow it to the new township (a deputies service)."""
    from .services import deputies_resync_region

    deputies_resync_region(group=group)
