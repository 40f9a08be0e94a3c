"""`make messages`: one catalogue per language holds every marked string of the Python
code, the Django templates and the Jinja2 templates, a second (djangojs) those of the
scripts (static/js/), and the committed catalogues are in step with the code (a string
marked since is missing from them: run `make messages`), every string translated."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from tests.services import missing

LANGUAGES = ("de", "es", "fr")
# English's catalogue (django domain only): every string as the code writes it, so that an
# English page's look-ups find their string in the first catalogue they read.
ENGLISH = "en_GB"
DOMAINS = ("django", "djangojs")
COMMITTED = Path(settings.BASE_DIR) / "locale"


def _ids(path: Path) -> set:
    with path.open("rb") as source:
        catalog = read_po(source)
    return {(message.context, message.id) for message in catalog if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue `make messages` would write today, in a folder of its own."""
    if not shutil.which("xgettext"):
        missing("xgettext is not installed (apt-get install -y gettext)")
    folder = tmp_path_factory.mktemp("locale")
    from django.test import override_settings

    with override_settings(LOCALE_PATHS=[folder]):
        call_command("makemessages", locale=["de"], no_wrap=True, verbosity=0)
    return folder / "de" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted_js(tmp_path_factory):
    """The scripts' catalogue `make messages` would write today."""
    if not shutil.which("xgettext"):
        missing("xgettext is not installed (apt-get install -y gettext)")
    folder = tmp_path_factory.mktemp("locale-js")
    from django.test import override_settings

    with override_settings(LOCALE_PATHS=[folder]):
        call_command("makemessages", domain="djangojs", locale=["de"], no_wrap=True, verbosity=0)
    return folder / "de" / "LC_MESSAGES" / "djangojs.po"


def test_it_holds_python_django_and_jinja2_strings_with_plurals(extracted):
    text = extracted.read_text()
    ids = _ids(extracted)
    # A Django template, Python (a form's label), a Jinja2 template with a placeholder,
    # a Jinja2 plural, and a string with a context.
    assert (None, "We couldn’t find that page") in ids
    assert (None, "Clinics near %(place)s") in ids
    assert (None, "Page %(number)s of %(total)s") in ids
    assert "templates/jinja2/includes/pagination.html" in text
    assert (None, ("Artist", "Artists")) in ids or (None, "Artist") in ids
    assert ("a clinic member's role", "Artist") in ids
    # Staff's text stays English: not in the catalogue.
    assert (None, "Approve: publish it") not in ids


@pytest.mark.parametrize("language", (*LANGUAGES, ENGLISH))
def test_the_committed_catalogue_has_every_string_of_the_code(extracted, language):
    committed = COMMITTED / language / "LC_MESSAGES" / "django.po"
    absent = sorted(str(i) for i in _ids(extracted) - _ids(committed))
    assert absent == [], f"run `make messages`: {len(absent)} strings are not in {committed}"


def test_the_scripts_catalogue_holds_the_scripts_strings_and_nothing_else(extracted_js):
    ids = _ids(extracted_js)
    assert (None, "Finding your location…") in ids
    assert (
        None,
        ("%(count)s photo chosen: %(names)s", "%(count)s photos chosen: %(names)s"),
    ) in ids
    # The Python code's strings are not sent to every visitor's browser.
    assert (None, "We couldn’t find that page") not in ids
    # Nor the admin's scripts (in the virtualenv) nor collectstatic's copies.
    assert "static/admin" not in extracted_js.read_text()
    assert "staticfiles/" not in extracted_js.read_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_scripts_catalogue_has_every_string_of_the_scripts(extracted_js, language):
    committed = COMMITTED / language / "LC_MESSAGES" / "djangojs.po"
    absent = sorted(str(i) for i in _ids(extracted_js) - _ids(committed))
    assert absent == [], f"run `make messages`: {len(absent)} strings are not in {committed}"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language, domain):
    """An untranslated or fuzzy entry shows English on that language's pages."""
    with (COMMITTED / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as source:
        catalog = read_po(source)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (
                all(message.string) if isinstance(message.string, (list, tuple)) else message.string
            )
        )
    ]
    assert untranslated == []


def test_the_english_catalogue_changes_no_word_of_the_code():
    """Each English entry is its own message (msgen fills new ones in `make messages`):
    English pages say exactly what the code says, only found sooner."""
    with (COMMITTED / ENGLISH / "LC_MESSAGES" / "django.po").open("rb") as source:
        catalog = read_po(source)
    assert catalog.locale_identifier == ENGLISH
    written = [message for message in catalog if message.id]
    assert len(written) > 1000
    differs = [
        message.id
        for message in written
        if message.fuzzy
        or (tuple(message.string) if isinstance(message.id, tuple) else message.string)
        != message.id
    ]
    assert differs == []


@pytest.mark.parametrize(
    ("language", "domain"),
    [(language, domain) for language in LANGUAGES for domain in DOMAINS] + [(ENGLISH, "django")],
)
def test_each_catalogue_passes_gettexts_own_checks(language, domain):
    """msgfmt --check: every translation keeps its message's placeholders (python-format)
    and plural forms, and the header is sound; a catalogue that fails cannot be compiled."""
    if not shutil.which("msgfmt"):
        missing("msgfmt is not installed (apt-get install -y gettext)")
    catalogue = COMMITTED / language / "LC_MESSAGES" / f"{domain}.po"
    done = subprocess.run(
        ["msgfmt", "--check", "--output-file", os.devnull, str(catalogue)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
