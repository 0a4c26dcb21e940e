from django.urls import path

from deputyhome.core.pages import page_paths

from . import account_views, first_login, term_views, views

app_name = "deputies"
urlpatterns = [
    *page_paths(
        prefix="",
        entity="",
        register=views.DeputyList,
        form=views.DeputyForm,
        detail=views.deputy_detail,
        delete=views.DeputyDelete,
    ),
    path("me/", views.my_page, name="me"),
    path("first-login/", first_login.first_login, name="first_login"),
    path("<id:pk>/account-request/", views.account_request_view, name="account_request"),
    path("account-requests/", account_views.account_request_batch, name="account_request_batch"),
    path("accounts/open/", account_views.accounts_open, name="accounts_open"),
    path("accounts/roles/", account_views.accounts_roles, name="accounts_roles"),
    path("accounts/renew/", account_views.accounts_renew, name="accounts_renew"),
    path("<id:deputy_pk>/mandates/new/", views.MandateForm.as_view(), name="mandate_create"),
    path("mandates/<id:pk>/edit/", views.MandateForm.as_view(), name="mandate_update"),
    path("<id:deputy_pk>/memberships/new/", views.MembershipForm.as_view(), name="membership_create"),
    path("memberships/<id:pk>/edit/", views.MembershipForm.as_view(), name="membership_update"),
    path("congresses/<id:pk>/term-change/", term_views.term_change_page, name="term_change"),
    path("congresses/<id:pk>/term-change/undo/", term_views.term_undo_page, name="term_undo"),
]
