from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "deputyhome.notifications"
    label = "notifications"
