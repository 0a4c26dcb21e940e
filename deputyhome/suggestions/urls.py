from django.urls import include, path

from . import config_views, desk_views, forward_views, views

app_name = "suggestions"
urlpatterns = [
    path("", views.SuggestionList.as_view(), name="list"),
    path("mine/", views.MySuggestions.as_view(), name="mine"),
    path("new/", views.suggestion_create, name="create"),
    path("deputies/", views.deputy_search, name="deputy_search"),
    path("desk/", desk_views.staff_desk, name="desk"),
    path("inbox/", desk_views.unit_inbox, name="inbox"),
    path("board/", desk_views.supervisor_board, name="board"),
    path("todo/", desk_views.deputy_todo, name="todo"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("<id:pk>/", views.suggestion_detail, name="detail"),
    path("<id:pk>/edit/", views.suggestion_edit, name="edit"),
    path("<id:pk>/act/<slug:action>/", views.suggestion_act, name="act"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment"),
    path("<id:pk>/forward/", forward_views.forward_up, name="forward_up"),
    path("forwards/<id:pk>/answer/", forward_views.forward_answer, name="forward_answer"),
    path("forwards/<id:pk>/withdraw/", forward_views.forward_withdraw, name="forward_withdraw"),
    path("", include("deputyhome.suggestions.similar_urls")),
    *config_views.categories.urls("config/categories", list_at="config/", edit=""),
    *config_views.results.urls("config/results", edit=""),
    *config_views.policies.urls("config/policies", edit=""),
]
