from django.urls import path

from . import views_coverage

app_name = "training_api"
urlpatterns = [
    path("stats/training", views_coverage.stats_training, name="stats_training"),
]
