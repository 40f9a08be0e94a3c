from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from modeltranslation.admin import TranslationAdmin

from common.languages import DEFAULT, localized

from .models import Article, Category, FaqEntry


def english(*fields: str) -> list[str]:
    return [localized(field, DEFAULT) for field in fields]


def translation_fieldsets(*fields: str) -> list:
    """A folded fieldset per other language, its fields in the English form's order.

    Each is shown on the site once all of it is written; until then the language's
    readers read the English text with a notice (common/languages.py `show_text`)."""
    return [
        (
            name,
            {
                "fields": [localized(field, code) for field in fields],
                "classes": ["collapse"],
                "description": f"Leave it all empty until the {name} text is ready: readers of "
                f"{name} read the English text, with a notice, until then.",
            },
        )
        for code, name in settings.LANGUAGES
        if code != DEFAULT
    ]


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


def _rendered(html: str):
    # The stored HTML went through the sanitiser on save, so it is safe to show as is.
    if not html:
        return "—"
    return format_html('<div class="admin-rendered">{}</div>', mark_safe(html))


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    list_display = ["title", "status", "is_live", "category", "published_at", "updated_at"]
    list_filter = ["status", "category", "published_at", "updated_at"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "summary", "body", "author_name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "hero_preview",
        "reading_time",
        "created_at",
        "updated_at",
        "rendered_body",
    ]
    actions = ["publish_articles", "unpublish_articles"]
    fieldsets = [
        (
            None,
            {"fields": [*english("title"), "slug", "category", *english("summary"), "author_name"]},
        ),
        ("Publishing", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
        ("Hero image", {"fields": ["hero_image", *english("hero_alt"), "hero_preview"]}),
        ("Text", {"fields": [*english("body"), "reading_time"]}),
        *translation_fieldsets("title", "summary", "hero_alt", "body"),
        (
            "Preview",
            {
                "fields": ["rendered_body"],
                "description": "The English body as the site shows it, as last saved.",
            },
        ),
    ]

    @admin.display(boolean=True, description="Live")
    def is_live(self, article):
        return article.is_published()

    @admin.display(description="Reading time")
    def reading_time(self, article):
        if not article.pk:
            return "—"
        return f"{article.reading_minutes} min ({article.word_count} words)"

    @admin.display(description="Hero preview")
    def hero_preview(self, article):
        if not article.hero_image:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="240" class="admin-preview">', article.hero_image.url
        )

    @admin.display(description="Rendered body")
    def rendered_body(self, article):
        return _rendered(getattr(article, localized("body_html", DEFAULT)))

    @admin.action(description="Publish selected articles")
    def publish_articles(self, request, queryset):
        articles = list(queryset.select_related("category"))
        for article in articles:
            article.publish()
        scheduled = sum(1 for a in articles if a.published_at > timezone.now())
        message = f"Published {len(articles)} article(s)."
        if scheduled:
            message += f" {scheduled} of them will appear on their later publication date."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)")
    def unpublish_articles(self, request, queryset):
        articles = list(queryset.select_related("category"))
        for article in articles:
            article.unpublish()
        self.message_user(request, f"Unpublished {len(articles)} article(s).", messages.SUCCESS)


@admin.register(FaqEntry)
class FaqEntryAdmin(TranslationAdmin):
    list_display = ["question", "category", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["published", "category"]
    list_select_related = ["category"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}
    readonly_fields = ["updated_at", "rendered_answer"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *english("question"),
                    "slug",
                    "category",
                    "order",
                    "published",
                    *english("answer"),
                    "rendered_answer",
                    "updated_at",
                ]
            },
        ),
        *translation_fieldsets("question", "answer"),
    ]

    @admin.display(description="Rendered answer")
    def rendered_answer(self, entry):
        return _rendered(getattr(entry, localized("answer_html", DEFAULT)))
