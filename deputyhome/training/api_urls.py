from django.urls import path

from . import views

app_name = "training_api"
urlpatterns = [
    path("stats/training", views.stats_training, name="stats_training"),
]
