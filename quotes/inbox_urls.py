from django.urls import path

from . import inbox_views

app_name = "inbox"

urlpatterns = [
    path("", inbox_views.inbox, name="list"),
    path("<int:delivery_id>/", inbox_views.inbox_request, name="request"),
]
