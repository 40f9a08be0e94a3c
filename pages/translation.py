"""The site pages' text in each language (django-modeltranslation, as articles/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import SitePage


@register(SitePage)
class SitePageTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_html")
    required_languages = {"en-gb": ("title", "summary", "body")}
