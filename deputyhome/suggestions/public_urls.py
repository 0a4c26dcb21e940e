from django.urls import path

from . import desk_views

app_name = "public_suggestions"
urlpatterns = [
    path("", desk_views.public_replies, name="list"),
    path("<slug:token>/", desk_views.public_reply_detail, name="detail"),  # token_urlsafe: letters, digits, - and _
]
