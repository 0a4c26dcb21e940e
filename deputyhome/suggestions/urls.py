from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.SuggestionList.as_view(), name="list"),
    path("mine/", views.MySuggestions.as_view(), name="mine"),
    path("new/", views.suggestion_create, name="create"),
    path("desk/", views.staff_desk, name="desk"),
    path("inbox/", views.unit_inbox, name="inbox"),
    path("board/", views.supervisor_board, name="board"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.suggestion_act, name="act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
