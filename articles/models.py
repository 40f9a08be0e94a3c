"""Educational articles and the FAQ, written in Markdown and stored with sanitised HTML."""

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation

from common.addresses import address
from common.languages import CODES, DEFAULT, TranslatedText, hreflang, localized

from .markdown import RESERVED_IDS, reading_minutes, render_markdown

# A table of contents appears once an article has this many h2 sections.
TOC_MIN_SECTIONS = 3
# Article slugs that would collide with the fixed URLs under /articles/.
RESERVED_SLUGS = frozenset({"feed", "category"})


def article_image_path(instance, filename: str) -> str:
    """A generated storage name: the uploader's file name never becomes a path."""
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"articles/{uuid.uuid4().hex}{suffix}"


def _published_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class CategoryQuerySet(models.QuerySet):
    def with_published_counts(self):
        """Categories that have public articles, each with its count and latest change."""
        published = _published_q("articles__")
        return self.annotate(
            article_count=Count("articles", filter=published),
            lastmod=Max("articles__updated_at", filter=published),
        ).filter(article_count__gt=0)


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        max_length=240, blank=True, help_text="One sentence, shown on the category page."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("articles:category", self.slug)


# What an article card and the feed's item read (`ArticleQuerySet.for_cards`).
ARTICLE_CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "word_count",
    "hero_image",
    "hero_width",
    "hero_height",
    "author_name",
    "published_at",
    "updated_at",
    "category__name",
    "category__slug",
)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and not scheduled for later."""
        return self.filter(_published_q())

    def for_cards(self):
        """What an article card (and the feed's item) shows, and nothing else: not the
        body columns, nor the rest of the row."""
        return self.select_related("category").only(*ARTICLE_CARD_FIELDS)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class Article(TranslatedText, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    summary = models.CharField(
        max_length=300, help_text="One or two sentences: the list, search results and shares."
    )
    body = models.TextField(
        help_text="Markdown. Start sections with ## headings; # is shown as ## too, since "
        "the title is the page's only top heading. Raw HTML is shown as text."
    )
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(default=list, editable=False, blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    hero_image = models.ImageField(
        upload_to=article_image_path,
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "hero image alt text",
        max_length=200,
        blank=True,
        help_text="What the image shows, for people who can't see it.",
    )
    author_name = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when first published. A future date keeps the article hidden until then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When what readers read (title, summary, body) last changed after it was published:
    # the "Updated" date. Not updated_at, which any save (a load of demo data) moves.
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    # What a translation must have to be shown (articles/translation.py).
    TRANSLATED_TEXT = ("title", "summary", "body")

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The article list and the feed: published articles, newest first.
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # A category page and "related articles": one category, newest first.
            models.Index(
                fields=["category", "status", "-published_at"], name="article_cat_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        for code in CODES:
            body = getattr(self, localized("body", code))
            rendered = render_markdown(body) if body else None
            setattr(self, localized("body_html", code), rendered and rendered.html)
            headings = rendered and [h for h in rendered.headings if h["level"] == 2]
            setattr(self, localized("toc", code), headings)
            setattr(self, localized("word_count", code), rendered and rendered.word_count)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self._text_changed_since_publication():
            self.revised_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = ("body_html", "toc", "word_count")
            kwargs["update_fields"] = {
                *update_fields,
                *derived,
                *(localized(name, code) for name in derived for code in CODES),
                "revised_at",
            }
        # The columns of the untranslated fields (title, body...) keep the English text,
        # whichever language is active: they are what the admin's search and the code of
        # the release before translations read.
        with translation.override(DEFAULT):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return address("articles:detail", self.slug)

    def clean(self):
        errors = self.translation_errors()
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is used by another page; choose another slug."
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = "Describe the hero image for people who can't see it."
        if errors:
            raise ValidationError(errors)

    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def publish(self) -> None:
        """Make the article public; a future published_at keeps it scheduled."""
        self.status = self.Status.PUBLISHED
        self.save()

    def unpublish(self) -> None:
        self.status = self.Status.DRAFT
        self.save()

    def card_in_english(self) -> bool:
        """The card shows English's title and summary: not translated into the page's
        language (read from the title alone, the one text column a card loads of each
        language besides the summary; the admin form keeps a translation whole)."""
        current = translation.get_language() or DEFAULT
        return current != DEFAULT and not getattr(self, localized("title", current), None)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)

    @property
    def show_toc(self) -> bool:
        return len(self.toc) >= TOC_MIN_SECTIONS

    def _text_changed_since_publication(self) -> bool:
        if self.pk is None or self.published_at is None or self.published_at > timezone.now():
            return False
        # Any language's text: a translation's readers see the "Updated" date too.
        names = [localized(name, code) for name in self.TRANSLATED_TEXT for code in CODES]
        stored = type(self).objects.filter(pk=self.pk).values(*names).first()
        if stored is None:
            return False
        return stored != {name: getattr(self, name) for name in names}

    @property
    def was_revised(self) -> bool:
        """Its text was changed on a later day than it was published: worth telling readers."""
        if self.published_at is None or self.revised_at is None:
            return False
        return self.revised_at.date() > self.published_at.date()

    @property
    def modified_at(self):
        """When readers' text last changed: the revision, else publication."""
        return self.revised_at or self.published_at

    def json_ld(self, url: str, image_url: str | None, site_name: str) -> dict:
        """schema.org Article data for search engines."""
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": self.published_at.isoformat() if self.published_at else None,
            "dateModified": (self.modified_at or self.updated_at).isoformat(),
            "author": {"@type": "Person", "name": self.author_name},
            "publisher": {"@type": "Organization", "name": site_name},
            "articleSection": self.category.name,
            "wordCount": self.word_count,
            "inLanguage": hreflang(self.text_language()),  # English when shown untranslated
        }
        if image_url:
            data["image"] = {
                "@type": "ImageObject",
                "url": image_url,
                "width": self.hero_width,
                "height": self.hero_height,
            }
        return data


class FaqEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def for_page(self):
        """Grouped by category in category order; questions without one come last."""
        return self.select_related("category").order_by(
            models.F("category__order").asc(nulls_last=True),
            "category__name",
            "order",
            "pk",
        )


class FaqEntry(TranslatedText, models.Model):
    question = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="The question's anchor: /faq/#this-slug."
    )
    answer = models.TextField(help_text="Markdown. Raw HTML is shown as text.")
    answer_html = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entries",
        help_text="The group the question appears under; empty means “General questions”.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FaqEntryQuerySet.as_manager()

    TRANSLATED_TEXT = ("question", "answer")

    class Meta:
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        ordering = ["order", "pk"]
        indexes = [
            # The FAQ page: published questions in their order.
            models.Index(fields=["published", "order"], name="faq_published_order"),
        ]

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        # Answers share one page, so their headings sit below the questions (h3) and
        # carry no ids that could collide with another answer's.
        for code in CODES:
            answer = getattr(self, localized("answer", code))
            html = render_markdown(answer, top_level=4, anchors=False).html if answer else None
            setattr(self, localized("answer_html", code), html)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "answer_html",
                *(localized("answer_html", code) for code in CODES),
            }
        with translation.override(DEFAULT):  # the English text in the untranslated columns
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{reverse('articles:faq')}#{self.slug}"

    def clean(self):
        errors = self.translation_errors()
        if self.slug in RESERVED_IDS or self.slug.startswith("topic-"):
            errors["slug"] = "This anchor is used by the page itself."
        if errors:
            raise ValidationError(errors)
