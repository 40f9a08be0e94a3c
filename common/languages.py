"""The site in four languages: which one a visitor reads, and the addresses of the others.

Every public page has an address per language (smp_site/urls.py): English with no prefix,
German, Spanish and French under /de/, /es/ and /fr/. English keeps the addresses the
site has always had, so no link, bookmark, email or search result made before breaks, and
each language's page has one address a crawler can index.

Which language a visitor reads is decided by the address alone (Django's LocaleMiddleware
with `prefix_default_language=False`): a page's content never depends on a cookie or a
header, so the page cache can key pages by address. The one exception is here: a visitor
asking for an English address (a search result, a shared link) who prefers another of the
site's languages is sent, once, to that language's address of the same page:

- the choice they made in the language switcher (Django's language cookie, set by its
  `set_language` view) wins; choosing English there keeps them on English addresses;
- with no choice made, their browser's `Accept-Language`, when it prefers one of German,
  Spanish or French to English;
- never for crawlers, which must see every language's pages at their own addresses
  (linked from each page's `hreflang` alternates and the sitemaps).

A language's address never redirects, so no loop can form: the switcher's form leads to
the address of the language chosen, having set the cookie that agrees with it.
"""

import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Func, IntegerField, Q
from django.db.models.lookups import GreaterThan
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import (
    activate,
    get_language,
    get_language_from_path,
    get_supported_language_variant,
    override,
)
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from modeltranslation.utils import build_localized_fieldname

DEFAULT = settings.LANGUAGE_CODE
CODES = tuple(code for code, _name in settings.LANGUAGES)
# What crawlers and link previews say of themselves; none of them is redirected.
_CRAWLER = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|lighthouse"
    r"|curl|wget|python-requests|httpx|go-http-client|java/|okhttp|wrk",
    re.IGNORECASE,
)


def supported(code: str | None) -> str | None:
    """One of settings.LANGUAGES for a code a browser or cookie gave, or None."""
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def preferred_language(request: HttpRequest) -> str | None:
    """The language the visitor chose before, or their browser prefers; None for neither."""
    chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    header = request.headers.get("accept-language", "")
    if len(header) > 500:  # far longer than any browser sends: not worth reading
        return None
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            return None
        language = supported(code)
        if language:
            return language
    return None


class PreferredLanguageMiddleware:
    """Send a first visit to an English address on to the visitor's own language's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if get_language_from_path(request.path_info) is None:
            # What an English address answers depends on these for a reader of another
            # language: a shared cache in front must not give one visitor's to the other.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD"):
            return None
        if get_language_from_path(request.path_info) is not None:
            return None  # a language's own address: always that language
        agent = request.headers.get("user-agent", "")
        if not agent or _CRAWLER.search(agent):
            return None
        language = preferred_language(request)
        if language is None or language == DEFAULT:
            return None
        target = translate_url(request.get_full_path(), language)
        if target == request.get_full_path():
            return None  # not a page with an address per language (admin, probes, files)
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def page_in(request: HttpRequest, language: str) -> str:
    """This page's address in another language (the path, with the query it was asked with)."""
    return translate_url(request.get_full_path(), language)


def alternates(request: HttpRequest) -> list[dict[str, str]]:
    """This page in each language: code (hreflang), name (in its own language), path.

    Empty for a page with no address per language. A view whose content exists in fewer
    languages sets `request.page_languages` to those it has.
    """
    path = request.get_full_path()
    current = get_language() or DEFAULT
    available = getattr(request, "page_languages", None)
    links = []
    for code, name in settings.LANGUAGES:
        if available is not None and code not in available:
            continue
        target = path if code == current else _address_in(request, path, code)
        if code != current and target == path:
            return []  # this page has one address only
        links.append({"code": code, "hreflang": hreflang(code), "name": name, "path": target})
    return links


def _address_in(request: HttpRequest, path: str, code: str) -> str:
    """Django's `translate_url(path, code)`, from the match Django made of this request's
    address: translate_url resolves the address again for each language it is asked."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name is None:
        return translate_url(path, code)
    with override(code):
        try:
            address = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    query = urlsplit(path).query
    return f"{address}?{query}" if query else address


def hreflang(code: str) -> str:
    """ "en-gb" → "en": the English pages are for every English reader."""
    return code.split("-")[0]


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The switcher's form: Django's `set_language` (the cookie, then the page in the chosen
    language), read with the language of the page the visitor left active, so that its
    address is understood: this form has one address, which is English's."""
    left = get_language_from_path(urlsplit(request.POST.get("next", "")).path)
    if left:
        activate(left)
    return set_language(request)


# Content: articles, the FAQ and the site pages are written in English and translated in
# admin, a column per language (articles/translation.py, pages/translation.py).


def localized(field: str, code: str) -> str:
    """`title` in `de` → `title_de`: the column of one language's text."""
    return build_localized_fieldname(field, code)


class OctetLength(Func):
    """A text's length in bytes: PostgreSQL reads it from the stored value's header, with
    no need to decompress a long one. SQLite before 3.43 lacks it: there, LENGTH()."""

    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="LENGTH", **extra_context)


class TranslatedText:
    """A model whose text is written in English and translated language by language.

    A language counts once every field of `TRANSLATED_TEXT` is written in it (the admin
    form asks for all of them or none); until then its readers read the English text.
    """

    TRANSLATED_TEXT: tuple[str, ...] = ()

    def text_languages(self) -> list[str]:
        """The languages this text is written in, English first."""
        return [
            code
            for code in CODES
            if all(getattr(self, localized(field, code)) for field in self.TRANSLATED_TEXT)
        ]

    def text_language(self) -> str:
        """The language a reader of the page's language reads it in: theirs, or English."""
        current = get_language() or DEFAULT
        if all(getattr(self, localized(field, current), None) for field in self.TRANSLATED_TEXT):
            return current
        return DEFAULT

    def translation_errors(self) -> dict[str, str]:
        """A translation is shown once all of it is written: a half-written one is an error
        on the fields it lacks (staff's admin form, in English)."""
        errors = {}
        names = dict(settings.LANGUAGES)
        for code in CODES:
            columns = [localized(field, code) for field in self.TRANSLATED_TEXT]
            written = [bool((getattr(self, column) or "").strip()) for column in columns]
            if any(written) and not all(written):
                for column, done in zip(columns, written, strict=True):
                    if not done:
                        errors[column] = (
                            f"Write this in {names[code]} too, or leave the {names[code]} "
                            "text empty: a translation is shown once all of it is written."
                        )
        return errors

    @classmethod
    def written_in(cls, code: str) -> Q:
        """The rows written in a language (NULL and "" are both unwritten).

        Measured in bytes (`octet_length`), not compared with '' (`> ''`): PostgreSQL
        knows a stored text's length without decompressing it, which an ordering
        comparison must (a sitemap's count of 500 articles per language took 3.7 ms, now
        0.4 ms). NULL has no length, so it is not written either.
        """
        return Q(
            *(GreaterThan(OctetLength(localized(field, code)), 0) for field in cls.TRANSLATED_TEXT)
        )

    @classmethod
    def language_flags(cls) -> dict[str, ExpressionWrapper]:
        """An annotation a language, in `CODES`' order: is the row written in it? For
        lists that read which languages each row exists in (the sitemaps)."""
        return {
            localized("written", code): ExpressionWrapper(
                cls.written_in(code), output_field=BooleanField()
            )
            for code in CODES
        }


def show_text(
    request: HttpRequest, text: TranslatedText, notices: Mapping[str, str | Promise]
) -> dict:
    """What a page of one translated text needs to say which language it is in.

    Its `hreflang` alternates and the switcher list the languages it is written in
    (`request.page_languages`); a reader of a language it is not written in yet reads it
    in English, with the notice for their language (`notices`: a whole sentence per
    language), and the page names the English address as the canonical one: it is the
    same text.
    """
    languages = text.text_languages()
    request.page_languages = languages  # type: ignore[attr-defined]
    current = get_language() or DEFAULT
    if current in languages:
        return {"text_language": current, "untranslated_notice": "", "canonical_path": None}
    return {
        "text_language": DEFAULT,
        "untranslated_notice": notices.get(current, ""),
        "canonical_path": translate_url(request.path, DEFAULT),
    }


def language_field(help_text: str = "") -> models.CharField:
    """A row's language: which of the site's languages its emails are written in.

    English by default, in the database too, so adding the column to a table in use
    is safe while the code before it still runs (it writes no value).
    """
    return models.CharField(
        max_length=7,
        choices=settings.LANGUAGES,
        default=DEFAULT,
        db_default=DEFAULT,
        help_text=help_text,
    )


def email_language(code: str | None) -> str:
    """The language to write an email in: `code` if the site still has it, else English."""
    return code if code in dict(settings.LANGUAGES) else DEFAULT


def current_language() -> str:
    """The language the visitor is reading (the address's), to keep on what they send."""
    return email_language(get_language())
