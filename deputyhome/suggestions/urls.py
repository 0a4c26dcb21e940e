from django.urls import include, path

from . import config_views, desk_views, views

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
    path("", include("deputyhome.suggestions.similar_urls")),
    path("config/", config_views.CategoryList.as_view(), name="categories"),
    path("config/categories/new/", config_views.CategoryForm_.as_view(), name="category_create"),
    path("config/categories/<id:pk>/", config_views.CategoryForm_.as_view(), name="category_update"),
    path("config/results/", config_views.ResultClassList.as_view(), name="results"),
    path("config/results/new/", config_views.ResultClassForm_.as_view(), name="result_create"),
    path("config/results/<id:pk>/", config_views.ResultClassForm_.as_view(), name="result_update"),
    path("config/policies/", config_views.PolicyList.as_view(), name="policies"),
    path("config/policies/new/", config_views.PolicyForm_.as_view(), name="policy_create"),
    path("config/policies/<id:pk>/", config_views.PolicyForm_.as_view(), name="policy_update"),
]
