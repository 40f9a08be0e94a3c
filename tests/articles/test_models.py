from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, FaqEntry
from tests.factories import ArticleFactory, FaqEntryFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


def test_saving_stores_sanitised_html_contents_and_word_count():
    article = ArticleFactory(body="## One\n\n<script>x</script> [a](javascript:b)\n\n## Two")
    assert article.body_html.startswith('<h2 id="one">One</h2>')
    assert "<script>" not in article.body_html
    assert article.toc == [
        {"level": 2, "id": "one", "text": "One"},
        {"level": 2, "id": "two", "text": "Two"},
    ]
    assert article.word_count == 4  # One, the escaped tag, the unlinked text, Two


def test_saving_selected_fields_still_refreshes_the_html():
    article = ArticleFactory(body="Old")
    article.body = "New words"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>New words</p>\n" and article.word_count == 2


def test_published_leaves_out_drafts_and_scheduled_articles():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    assert list(Article.objects.published()) == [live]
    assert live.is_published()


def test_a_scheduled_article_goes_live_when_its_time_comes(time_machine):
    article = ArticleFactory(scheduled=True)
    assert not article.is_published()
    time_machine.move_to(article.published_at + timedelta(minutes=1))
    assert article.is_published()
    assert list(Article.objects.published()) == [article]


def test_publishing_a_draft_dates_it_and_unpublishing_hides_it():
    article = ArticleFactory(draft=True)
    article.publish()
    assert article.published_at is not None and article.is_published()
    first_date = article.published_at
    article.unpublish()
    assert not article.is_published()
    article.publish()
    assert article.published_at == first_date  # republishing keeps the original date


@pytest.mark.parametrize(("sections", "shown"), [(2, False), (3, True), (6, True)])
def test_the_table_of_contents_shows_from_three_sections(sections, shown):
    body = "\n\n".join(f"## Part {n}\n\nText." for n in range(sections))
    assert ArticleFactory(body=body).show_toc is shown


def test_an_article_is_revised_only_when_its_text_changes_on_a_later_day():
    article = ArticleFactory(published_at=timezone.now())
    article.body += "\n\nA same-day correction."
    article.save()
    assert not article.was_revised
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        article.save()  # nothing changed: not a revision
        assert not Article.objects.get(pk=article.pk).was_revised
        article.summary = "A better summary."
        article.save()
    article.refresh_from_db()
    assert article.was_revised


def test_a_hero_image_needs_alt_text():
    from django.core.files.base import ContentFile

    article = ArticleFactory.build(hero_image=ContentFile(jpeg_bytes(), name="h.jpg"), hero_alt="")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "hero_alt" in error.value.message_dict


@pytest.mark.parametrize("slug", ["feed", "category"])
def test_an_article_cannot_take_a_slug_used_by_another_page(slug):
    article = ArticleFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["category"])
    assert "slug" in error.value.message_dict


@pytest.mark.parametrize("slug", ["main", "topic-general"])
def test_a_question_cannot_take_an_anchor_the_page_uses(slug):
    entry = FaqEntryFactory.build(slug=slug, category=None)
    with pytest.raises(ValidationError):
        entry.full_clean()


def test_faq_answers_are_sanitised_on_save():
    entry = FaqEntryFactory(answer="# Title\n\n<img src=x onerror=alert(1)> **ok**")
    assert entry.answer_html == (
        "<h4>Title</h4>\n<p>&lt;img src=x onerror=alert(1)&gt; <strong>ok</strong></p>\n"
    )
    assert entry.get_absolute_url() == f"/faq/#{entry.slug}"
    assert list(FaqEntry.objects.published()) == [entry]
