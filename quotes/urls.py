from django.urls import path, re_path

from . import reply_views, views

app_name = "quotes"

urlpatterns = [
    path("", views.request_quote, name="request"),
    path("thanks/", views.request_received, name="request-received"),
    path("sent/<str:token>/", views.request_sent, name="request-sent"),
    path("photo/<str:token>/", views.photo, name="photo"),
    path("reply/<str:token>/", reply_views.reply, name="reply"),
    path("compare/new-link/", reply_views.new_link, name="new-link"),
    path("compare/<str:token>/", reply_views.compare, name="compare"),
    path(
        "compare/<str:token>/choose/<int:reply_id>/",
        reply_views.decide,
        {"action": "choose"},
        name="decide-choose",
    ),
    re_path(
        r"^compare/(?P<token>[^/]+)/(?P<action>close|forward|delete)/$",
        reply_views.decide,
        name="decide",
    ),
    path("erased/", reply_views.erased, name="erased"),
]
