from django.urls import path

from . import api

app_name = "opinions_api"
urlpatterns = [
    path("stats/opinions", api.stats_opinions, name="stats_opinions"),
]
