from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and its `manage.py demo` command: on top of every other app, imported by none."""

    name = "deputyhome.demo"
    label = "demo"
