from django.urls import path

from . import config_views, desk_views, forward_views, similar_views, views

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
    # The committee's memory: similar suggestions, routing, merging, past years' suggestions.
    path("similar/", similar_views.similar_fragment, name="similar"),
    path("<id:pk>/routing/", similar_views.routing_fragment, name="routing"),
    path("<id:pk>/routing/assign/", similar_views.route_assign, name="route_assign"),
    path("<id:pk>/routing/register/", similar_views.route_register, name="route_register"),
    path("<id:pk>/merge/", similar_views.merge, name="merge"),
    path("<id:pk>/unmerge/", similar_views.unmerge, name="unmerge"),
    path("history/", similar_views.history_page, name="history"),
    path("history/import/", similar_views.history_import_page, name="history_import"),
    path("history/retrain/", similar_views.retrain, name="retrain"),
    *config_views.categories.urls("config/categories", list_at="config/", edit=""),
    *config_views.results.urls("config/results", edit=""),
    *config_views.policies.urls("config/policies", edit=""),
]
