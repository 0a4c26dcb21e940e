from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "deputyhome.organisation"
    label = "organisation"
