from django.urls import path

from . import views

app_name = "listing_changes"

urlpatterns = [
    path("", views.listing, name="edit"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("artists/", views.artists, name="artists"),
    path("closures/<int:closure_id>/remove/", views.remove_closure, name="remove-closure"),
]
