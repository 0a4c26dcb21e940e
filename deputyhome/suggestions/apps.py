from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "deputyhome.suggestions"
    label = "suggestions"
