from django.urls import path

from common.page_cache import cache_public_page

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/feed/", cache_public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("articles/category/<slug:slug>/", views.category_detail, name="category"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("faq/", views.faq, name="faq"),
]
