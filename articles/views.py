"""Public article pages and the FAQ. Drafts and scheduled articles appear on none of them."""

from itertools import groupby

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from common.addresses import absolute_url
from common.languages import DEFAULT, show_text
from common.page_cache import cache_public_page
from common.pagination import page_or_404

from .models import Article, Category, FaqEntry

RELATED_COUNT = 3

# Said to a reader of a language the article is not written in yet: a whole sentence per
# language, since each language names itself in its own grammar.
ARTICLE_NOT_TRANSLATED = {
    "de": _("This article is not yet available in German; here it is in English."),
    "es": _("This article is not yet available in Spanish; here it is in English."),
    "fr": _("This article is not yet available in French; here it is in English."),
}
FAQ_PARTLY_TRANSLATED = {
    "de": _("Some answers are not yet available in German; they are shown in English."),
    "es": _("Some answers are not yet available in Spanish; they are shown in English."),
    "fr": _("Some answers are not yet available in French; they are shown in English."),
}


def _list_page(request, category: Category | None):
    articles = Article.objects.published().for_cards().newest_first()
    if category is not None:
        articles = articles.filter(category=category)
    context = {
        "category": category,
        "categories": list(Category.objects.with_published_counts()),
        "page": page_or_404(request, articles, settings.ARTICLES_PER_PAGE),
    }
    return render(request, "articles/article_list.html", context)


@require_safe
@cache_public_page(params=("page", "category"))
def article_list(request):
    # A filter form or an old link may ask for ?category=slug: the category page is canonical.
    slug = request.GET.get("category")
    if slug:
        return redirect(get_object_or_404(Category, slug=slug), permanent=True)
    return _list_page(request, None)


@require_safe
@cache_public_page(params=("page",))
def category_detail(request, slug: str):
    return _list_page(request, get_object_or_404(Category, slug=slug))


@require_safe
@cache_public_page
def article_detail(request, slug: str):
    article = get_object_or_404(Article.objects.published().select_related("category"), slug=slug)
    related = (
        Article.objects.published()
        .for_cards()
        .filter(category=article.category)
        .exclude(pk=article.pk)
        .newest_first()[:RELATED_COUNT]
    )
    url = absolute_url(article.get_absolute_url())
    image_url = absolute_url(article.hero_image.url) if article.hero_image else None
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "related": related,
            "image_url": image_url,
            "json_ld": article.json_ld(url, image_url, settings.SITE_NAME),
            **show_text(request, article, ARTICLE_NOT_TRANSLATED),
        },
    )


@require_safe
@cache_public_page
def faq(request):
    entries = list(FaqEntry.objects.published().for_page())
    language = get_language() or DEFAULT
    for entry in entries:
        entry.in_english_only = entry.text_language() != language
    untranslated = any(entry.in_english_only for entry in entries)
    groups = [
        {"category": category, "entries": list(items)}
        for category, items in groupby(entries, key=lambda entry: entry.category)
    ]
    json_ld = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": entry.answer_html},
            }
            for entry in entries
        ],
    }
    context = {
        "groups": groups,
        "json_ld": json_ld,
        # The page is in every language: where answers are missing it says so, in English.
        "untranslated_notice": FAQ_PARTLY_TRANSLATED.get(language, "") if untranslated else "",
    }
    return render(request, "articles/faq.html", context)
