from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("write/", views.write, name="write"),
    path("yours/", views.yours, name="yours"),
    path("yours/withdraw/", views.withdraw, name="withdraw"),
    path("withdrawn/", views.withdrawn, name="withdrawn"),
    path("reply/", views.reply, name="reply"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("photo/<int:pk>/small/", views.photo, {"size": "thumb"}, name="photo-thumb"),
]
