from django.urls import path

from common.page_cache import cache_public_page

from . import feeds, views

app_name = "training"

urlpatterns = [
    path("", views.class_list, name="list"),
    path("archive/", views.archive, name="archive"),
    path("feed/", cache_public_page(feeds.UpcomingEventsFeed()), name="feed"),
    path("seats/", views.seats, name="seats"),
    path("<slug:event>/", views.event_detail, name="event"),
    path("<slug:event>/calendar.ics", views.event_ics, name="event-ics"),
    path("<slug:event>/<slug:training_class>/", views.class_detail, name="class"),
    path("<slug:event>/<slug:training_class>/calendar.ics", views.class_ics, name="class-ics"),
    path("<slug:event>/<slug:training_class>/enquire/", views.enquire, name="enquire"),
    path(
        "<slug:event>/<slug:training_class>/enquiry-sent/",
        views.enquiry_sent,
        name="enquiry-sent",
    ),
]
