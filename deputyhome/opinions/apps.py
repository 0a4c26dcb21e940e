from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "deputyhome.opinions"
    label = "opinions"
