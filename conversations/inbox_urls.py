from django.urls import path

from . import views

app_name = "conversations_inbox"

urlpatterns = [
    path("<int:delivery_id>/messages/", views.inbox_thread, name="thread"),
    path("<int:delivery_id>/messages/photo/<int:photo_id>/", views.inbox_photo, name="photo"),
    path(
        "<int:delivery_id>/messages/report/<int:message_id>/",
        views.inbox_report,
        name="report",
    ),
]
