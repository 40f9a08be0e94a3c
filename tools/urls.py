from django.urls import path

from . import views

# Mounted at /_bench/ by smp_site/urls.py, only when BENCH is on.
urlpatterns = [
    path("hello/", views.bench_hello, name="bench-hello"),
]
