from django.urls import path

from . import contact_views, public_views, similar_views, views

app_name = "opinions"
urlpatterns = [
    # Staff
    path("", views.OpinionList.as_view(), name="list"),
    path("new/", views.OpinionRecord.as_view(), name="record"),
    path("<id:pk>/", views.opinion_detail, name="detail"),
    path("<id:pk>/act/<slug:action>/", views.opinion_act, name="act"),
    path("<id:pk>/act/<slug:action>/form/", views.opinion_step_form, name="step_form"),
    path("<id:pk>/merge-candidates/", views.merge_candidates, name="merge_candidates"),
    path("<id:pk>/photo/", views.opinion_photo, name="photo"),
    path("<id:pk>/similar/", similar_views.similar_fragment, name="similar"),
    *contact_views.slots.urls("slots", edit=""),
    *contact_views.receptions.urls("receptions"),
    *contact_views.pairings.urls("pairings"),
    *contact_views.stories.urls("stories"),
    path("stories/<id:pk>/publish/", contact_views.story_publish, name="story_publish"),
    path("qr/", views.qr_index, name="qr_index"),
    path("qr/sheets/", views.qr_sheets, name="qr_sheets"),
    path("qr/<str:kind>/<id:pk>/", views.qr_print, name="qr_print"),
    path("qr/<str:kind>/<id:pk>.<str:fmt>", views.qr_image, name="qr_image"),
    # Public, no login
    path("p/", public_views.public_index, name="public_index"),
    path("p/station/<id:pk>/", public_views.public_station, name="public_station"),
    path("p/deputy/<id:pk>/", public_views.public_deputy, name="public_deputy"),
    path("p/submitted/", public_views.public_submitted, name="public_submitted"),
    path("p/track/", public_views.track, name="track"),
    path("p/stories/", public_views.public_stories, name="public_stories"),
    path("p/stories/<id:pk>/", public_views.public_story, name="public_story"),
]
