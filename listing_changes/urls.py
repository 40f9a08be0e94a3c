from django.urls import path

from . import photo_views, views

app_name = "listing_changes"

urlpatterns = [
    path("", views.listing, name="edit"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("artists/", views.artists, name="artists"),
    path("artists/<int:artist_id>/portrait/", photo_views.portrait, name="portrait"),
    path("photos/", photo_views.photos, name="photos"),
    path("photos/<int:photo_id>/remove/", photo_views.remove_photo, name="remove-photo"),
    path("closures/<int:closure_id>/remove/", views.remove_closure, name="remove-closure"),
]
