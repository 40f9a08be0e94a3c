from django.urls import path

from . import account_views

app_name = "training_account"

urlpatterns = [path("", account_views.organised, name="organised")]
