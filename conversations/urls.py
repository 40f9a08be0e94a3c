"""Under /quote/ beside the quotes app's own links: the private prefixes the logs redact
(common/logs.py) cover these tokens too."""

from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path(
        "compare/<str:token>/messages/<int:delivery_id>/",
        views.client_thread,
        name="client-thread",
    ),
    path(
        "compare/<str:token>/messages/<int:delivery_id>/report/<int:message_id>/",
        views.client_report,
        name="client-report",
    ),
    path(
        "compare/<str:token>/messages/<int:delivery_id>/photo/<int:photo_id>/",
        views.client_photo,
        name="client-photo",
    ),
    path("reply/<str:token>/messages/", views.artist_thread, name="artist-thread"),
    path(
        "reply/<str:token>/messages/photo/<int:photo_id>/",
        views.artist_photo,
        name="artist-photo",
    ),
    path(
        "reply/<str:token>/messages/report/<int:message_id>/",
        views.artist_report,
        name="artist-report",
    ),
]
