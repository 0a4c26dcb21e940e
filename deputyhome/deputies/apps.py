from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "deputyhome.deputies"
    label = "deputies"
