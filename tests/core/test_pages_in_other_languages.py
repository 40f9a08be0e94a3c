"""Issue #28: a visitor of /de/, /es/ or /fr/ reads no English interface text, on the
pages nor from the scripts (their words come from the djangojs catalogue at
`<language>/i18n/scripts.js`). Sample content (clinics' descriptions, names) stays as
written and is not checked here."""

import json
import re

import pytest
from django.utils import translation

from common.photos import PhotoRejected
from tests.factories import ArticleFactory, ClinicFactory, FaqEntryFactory

# English interface text these pages used to show in every language.
ENGLISH = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Closed",
    "Opening hours",
]


@pytest.fixture(autouse=True)
def _english_after(settings):
    """A request under /de/ leaves German active in this thread (LocaleMiddleware does
    not switch back), and reverse() would then prefix every address the tests make."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def clinic(db):
    ArticleFactory()
    FaqEntryFactory()
    return ClinicFactory(
        address="1 Sample Street", opening_hours="Mo-Fr 10:00-18:00; Sa 10:00-14:00"
    )


def _pages(clinic) -> list[str]:
    with translation.override("en-gb"):
        profile = clinic.get_absolute_url()
    return [
        "/",
        "/clinics/",
        profile,
        "/search/?q=Testville",
        "/quote/",
        "/articles/",
        "/faq/",
        "/training/",
    ]


def _visible_text(html: str) -> str:
    """What a visitor reads or hears: text, alt texts and aria-labels (never scripts,
    styles, JSON-LD or addresses)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    labels = re.findall(r'(?:alt|aria-label|title|placeholder)="([^"]*)"', html)
    return re.sub(r"<[^>]+>", " ", html) + " " + " ".join(labels)


@pytest.mark.parametrize("language", ["de", "es"])
def test_public_pages_show_no_english_interface_text(client, clinic, language):
    pages = _pages(clinic)
    for path in pages:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        text = _visible_text(response.content.decode())
        shown = [phrase for phrase in ENGLISH if re.search(rf"\b{phrase}\b", text)]
        assert shown == [], f"/{language}{path} shows {shown}"


def test_the_profile_names_the_days_in_german_and_keeps_schema_days_in_json_ld(client, clinic):
    with translation.override("en-gb"):
        profile = clinic.get_absolute_url()
    response = client.get(f"/de{profile}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Montag" in html and "Geschlossen" in html
    assert "https://schema.org/Monday" in html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "Das Hochladen wurde unterbrochen."),
        ("es", "La subida se ha interrumpido."),
        ("fr", "L’envoi a été interrompu."),
    ],
)
def test_the_scripts_catalogue_is_in_the_pages_language(client, db, language, words):
    response = client.get(f"/{language}/i18n/scripts.js")
    assert response.status_code == 200
    body = response.content.decode()
    # The catalogue is JSON inside the script: non-ASCII letters are escaped.
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    assert any(words in value for value in catalogue.values() if isinstance(value, str))
    if language == "de":
        # The quote form's photo check, in the server's words.
        assert catalogue["“%(name)s” is larger than 15 MB. Please choose a smaller photo."] == (
            "„%(name)s“ ist größer als 15 MB. Bitte wählen Sie ein kleineres Foto."
        )
    # Only the site's own strings: Django admin's script catalogue is not sent.
    assert "Choose all" not in body


def test_the_english_catalogue_holds_no_translations(client, db):
    body = client.get("/i18n/scripts.js").content.decode()
    assert "Das Hochladen" not in body


def test_pages_with_scripts_load_their_languages_catalogue_first(client, clinic):
    with translation.override("en-gb"):
        profile = clinic.get_absolute_url()
    html = client.get(f"/de{profile}").content.decode()
    catalogue = html.index('src="/de/i18n/scripts.js"')
    assert catalogue < html.index("js/quote_form")
    assert catalogue < html.index("js/gallery")


@pytest.mark.parametrize("language", ["de", "es", "fr"])
def test_a_refused_photo_is_explained_in_the_visitors_language(language):
    with translation.override(language):
        message = str(PhotoRejected("too_large", "head.jpg"))
    assert "head.jpg" in message
    assert "is larger than" not in message
