"""The articles' and the FAQ's text in each language: a column per language beside
English's (django-modeltranslation; docs/translations.md says why this library).

English is required; a translation counts once its whole text is written (`TRANSLATED_TEXT`
on each model), and until then the page shows the English text with a notice. What is
derived from the Markdown (the HTML, the headings, the word count) has a column per
language too, filled on save from that language's Markdown.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Category, FaqEntry


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "hero_alt", "body_html", "toc", "word_count")
    required_languages = {"en-gb": ("title", "summary", "body")}
    # A translation without ## sections has an empty list of headings: its own, not a
    # reason to show English's.
    fallback_undefined = {"toc": None}


@register(FaqEntry)
class FaqEntryTranslation(TranslationOptions):
    fields = ("question", "answer", "answer_html")
    required_languages = {"en-gb": ("question", "answer")}


@register(Category)
class CategoryTranslation(TranslationOptions):
    # The FAQ's headings and "More about …" on an article: shown on every language's pages.
    fields = ("name", "description")
    required_languages = {"en-gb": ("name",)}
