from django.urls import path

from . import calendar_views

app_name = "calendar"
urlpatterns = [
    path("", calendar_views.calendar_list, name="list"),
    path("new/", calendar_views.calendar_edit, name="create"),
    path("<id:pk>/edit/", calendar_views.calendar_edit, name="update"),
    path("<id:pk>/delete/", calendar_views.calendar_delete, name="delete"),
]
