from django.urls import path

from . import views

app_name = "quotes"

urlpatterns = [
    path("", views.request_quote, name="request"),
    path("thanks/", views.request_received, name="request-received"),
    path("sent/<str:reference>/", views.request_sent, name="request-sent"),
    path("photo/<str:token>/", views.photo, name="photo"),
]
