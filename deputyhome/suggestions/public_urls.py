from django.urls import path

from . import views

app_name = "public_suggestions"
urlpatterns = [
    path("", views.public_replies, name="list"),
    path("<str:token>/", views.public_reply_detail, name="detail"),
]
