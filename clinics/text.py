"""Small text helpers for the directory: accent folding and country slugs."""

from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.text import slugify
from django.utils.translation import get_language, override, to_locale
from django_countries import countries

from places.names import fold, normalise

__all__ = [
    "country_code",
    "country_name",
    "country_slug",
    "fold",
    "search_text",
    "spoken_language_name",
]

# What search compares names by: folded, punctuation as spaces ("St. Albans": "st albans").
search_text = normalise


def country_slug(code: str) -> str:
    """The URL part for a country: "GB" -> "united-kingdom"."""
    return _slugs_by_code()[code]


def country_code(slug: str) -> str | None:
    """The ISO code for a country URL part, or None if no country has that slug."""
    return _codes_by_slug().get(slug)


@cache
def _slugs_by_code() -> dict[str, str]:
    # From the English names whatever language the first page to ask was in: a country's
    # address is the same in every language ("/de/clinics/germany/").
    with override("en"):
        return {code: slugify(name) for code, name in countries}


@cache
def _codes_by_slug() -> dict[str, str]:
    return {slug: code for code, slug in _slugs_by_code().items()}


def country_name(code: str) -> str:
    """A country's name in the active language; looked up once per language, not per card."""
    return _country_name(str(code), get_language())


@lru_cache(maxsize=2048)
def _country_name(code: str, language: str | None) -> str:
    return str(countries.name(code))


@lru_cache(maxsize=512)
def spoken_language_name(code: str, language: str | None) -> str | None:
    """A language's name in another ("es" in German: "Spanisch"), from CLDR, with a capital
    as a label takes one; None for a code CLDR does not know."""
    try:
        name = Locale.parse(to_locale(language or "en-gb")).languages.get(code.lower())
    except (ValueError, UnknownLocaleError):
        return None
    return name[:1].upper() + name[1:] if name else None
