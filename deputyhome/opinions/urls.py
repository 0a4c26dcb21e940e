from django.urls import path

from . import contact_views, public_views, similar_views, views

app_name = "opinions"
urlpatterns = [
    # Staff
    path("", views.OpinionList.as_view(), name="list"),
    path("new/", views.OpinionRecord.as_view(), name="record"),
    path("<id:pk>/", views.opinion_detail, name="detail"),
    path("<id:pk>/act/<slug:action>/", views.opinion_act, name="act"),
    path("<id:pk>/merge-candidates/", views.merge_candidates, name="merge_candidates"),
    path("<id:pk>/photo/", views.opinion_photo, name="photo"),
    path("<id:pk>/similar/", similar_views.similar_fragment, name="similar"),
    path("slots/", contact_views.SlotList.as_view(), name="slot_list"),
    path("slots/new/", contact_views.SlotForm.as_view(), name="slot_create"),
    path("slots/<id:pk>/", contact_views.SlotForm.as_view(), name="slot_update"),
    path("slots/<id:pk>/delete/", contact_views.SlotDelete.as_view(), name="slot_delete"),
    path("receptions/", contact_views.ReceptionList.as_view(), name="reception_list"),
    path("receptions/new/", contact_views.ReceptionForm.as_view(), name="reception_create"),
    path("receptions/<id:pk>/", contact_views.reception_detail, name="reception_detail"),
    path("receptions/<id:pk>/edit/", contact_views.ReceptionForm.as_view(), name="reception_update"),
    path("receptions/<id:pk>/delete/", contact_views.ReceptionDelete.as_view(), name="reception_delete"),
    path("pairings/", contact_views.PairingList.as_view(), name="pairing_list"),
    path("pairings/new/", contact_views.PairingForm.as_view(), name="pairing_create"),
    path("pairings/<id:pk>/", contact_views.pairing_detail, name="pairing_detail"),
    path("pairings/<id:pk>/edit/", contact_views.PairingForm.as_view(), name="pairing_update"),
    path("stories/", contact_views.StoryList.as_view(), name="story_list"),
    path("stories/new/", contact_views.StoryForm.as_view(), name="story_create"),
    path("stories/<id:pk>/", contact_views.story_detail, name="story_detail"),
    path("stories/<id:pk>/edit/", contact_views.StoryForm.as_view(), name="story_update"),
    path("stories/<id:pk>/publish/", contact_views.story_publish, name="story_publish"),
    path("qr/", views.qr_index, name="qr_index"),
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
