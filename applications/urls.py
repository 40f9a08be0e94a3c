from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("list-your-clinic/", views.apply, name="apply"),
    path("list-your-clinic/thanks/", views.apply_sent, name="apply-sent"),
]
