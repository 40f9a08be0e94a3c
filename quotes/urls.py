from django.urls import path

from . import reply_views, views

app_name = "quotes"

urlpatterns = [
    path("", views.request_quote, name="request"),
    path("thanks/", views.request_received, name="request-received"),
    path("sent/<str:reference>/", views.request_sent, name="request-sent"),
    path("photo/<str:token>/", views.photo, name="photo"),
    path("reply/<str:token>/", reply_views.reply, name="reply"),
    path("compare/new-link/", reply_views.new_link, name="new-link"),
    path("compare/<str:token>/", reply_views.compare, name="compare"),
    path("erased/", reply_views.erased, name="erased"),
]
