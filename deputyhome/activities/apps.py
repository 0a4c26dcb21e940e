from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "deputyhome.activities"
    label = "activities"
