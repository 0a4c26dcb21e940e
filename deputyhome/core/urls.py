from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("choices/<slug:kind>/", views.choice_search, name="choice_search"),
    path("healthz-auth", views.floor, name="floor"),
]
