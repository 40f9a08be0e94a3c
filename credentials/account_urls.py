from django.urls import path

from . import account_views

app_name = "credentials_account"

urlpatterns = [
    path("", account_views.credentials, name="list"),
    path("<int:credential_id>/renew/", account_views.renew, name="renew"),
]
