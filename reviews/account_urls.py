from django.urls import path

from . import account_views

app_name = "reviews_account"

urlpatterns = [
    path("", account_views.reviews, name="list"),
    path("<int:review_id>/reply/", account_views.reply, name="reply"),
]
