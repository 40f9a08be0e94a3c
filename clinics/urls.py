from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("near-me/", views.near_me, name="near-me"),
    path("clinics/", views.country_list, name="countries"),
    path("clinics/<slug:country>/", views.country_detail, name="country"),
    path("clinics/<slug:country>/<slug:city>/", views.city_detail, name="city"),
    path("clinics/<slug:country>/<slug:city>/<slug:clinic>/", views.clinic_detail, name="clinic"),
]
