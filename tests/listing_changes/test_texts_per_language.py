"""A clinic writes its summary and description in its own language and, if it likes, in
the site's other languages: staff check them as any description, and each visitor then
reads the clinic's text in their language where it wrote it, else in the clinic's own,
with a line saying which language that is."""

import re

import pytest

from clinics.models import Clinic
from listing_changes.models import ListingChange
from tests.factories import ClinicFactory
from tests.listing_changes import test_editor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

EDIT = "/clinic-account/listing/"
GERMAN_SUMMARY = "Haaransätze von Hand gezeichnet, Punkt für Punkt."
GERMAN_DESCRIPTION = "Wir beraten Sie ohne Zeitdruck und zeichnen den Haaransatz gemeinsam."


@pytest.fixture
def clinic():
    return ClinicFactory(
        name="Alder Ink",
        summary="Hairlines drawn by hand, dot by dot.",
        description="We take our time with every consultation.",
    )


# The editor's own helpers: an owner signed in, and the "about" form as the page posts it.
owner = test_editor.owner
_about = test_editor._about


def _in(language: str, path_of) -> str:
    """An address in another language: the English one under its prefix."""
    return f"/{language}{path_of()}"


def _approve(admin_client) -> None:
    change = ListingChange.objects.pending().get()
    response = admin_client.post(
        f"/admin/listing_changes/listingchange/{change.pk}/change/",
        {"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302


def test_a_german_text_shows_to_german_readers_and_english_to_the_others_labelled(
    owner, client, admin_client, clinic
):
    response = owner.post(
        EDIT, _about(clinic, summary_de=GERMAN_SUMMARY, description_de=GERMAN_DESCRIPTION)
    )
    assert response.status_code == 302
    # Checked by staff first, as any description: the German page has nothing new yet.
    german_profile = _in("de", clinic.get_absolute_url)
    assert GERMAN_DESCRIPTION not in client.get(german_profile).content.decode()
    change = ListingChange.objects.pending().get()
    assert change.changes["description_translations"]["after"] == {"de": GERMAN_DESCRIPTION}
    staff_view = admin_client.get(f"/admin/listing_changes/listingchange/{change.pk}/change/")
    # Each language on its own line of the before/after table (difflib writes &nbsp;).
    assert "de:&nbsp;Wir&nbsp;beraten&nbsp;Sie" in staff_view.content.decode()
    _approve(admin_client)

    german = client.get(german_profile).content.decode()
    assert GERMAN_SUMMARY in german and GERMAN_DESCRIPTION in german
    assert "Die Klinik hat diesen Text" not in german  # the reader's own language: no label
    english = client.get(clinic.get_absolute_url()).content.decode()
    assert "We take our time with every consultation." in english
    assert GERMAN_DESCRIPTION not in english and "The clinic wrote this" not in english
    # Spanish: the clinic wrote none, so its own text, said to be English, marked as such.
    spanish = client.get(_in("es", clinic.get_absolute_url)).content.decode()
    assert "La clínica escribió este texto en inglés." in spanish
    assert re.search(r'<div lang="en">\s*<p>We take our time with every consultation.', spanish)
    assert re.search(r'<p class="profile__summary" lang="en">Hairlines drawn by hand', spanish)

    # The city's cards read the same way.
    city = client.get(_in("de", clinic.city.get_absolute_url)).content.decode()
    assert f'<p class="clinic-card__summary">{GERMAN_SUMMARY}</p>' in city
    city = client.get(_in("fr", clinic.city.get_absolute_url)).content.decode()
    assert '<p class="clinic-card__summary" lang="en">Hairlines drawn by hand' in city


def test_a_clinic_writing_in_german_shows_english_readers_its_german_labelled(
    owner, client, admin_client, clinic
):
    owner.post(
        EDIT,
        _about(
            clinic,
            text_language="de",
            summary=GERMAN_SUMMARY,
            description=GERMAN_DESCRIPTION,
            summary_fr="Des lignes frontales dessinées à la main.",
        ),
    )
    _approve(admin_client)
    clinic.refresh_from_db()
    assert clinic.text_language == "de" and clinic.summary_translations == {
        "fr": "Des lignes frontales dessinées à la main."
    }
    english = client.get(clinic.get_absolute_url()).content.decode()
    assert "The clinic wrote this in German." in english and GERMAN_DESCRIPTION in english
    assert f'<p class="profile__summary" lang="de">{GERMAN_SUMMARY}</p>' in english
    french = client.get(_in("fr", clinic.get_absolute_url)).content.decode()
    assert "Des lignes frontales dessinées à la main." in french
    assert "La clinique a rédigé ce texte en allemand." in french  # its description
    german = client.get(_in("de", clinic.get_absolute_url)).content.decode()
    assert GERMAN_DESCRIPTION in german and "Die Klinik hat diesen Text" not in german


def test_a_translation_in_the_texts_own_language_or_too_long_is_refused(owner, clinic):
    response = owner.post(EDIT, _about(clinic, summary_en="Another English summary."))
    assert response.status_code == 400
    assert "This is the language of your text above" in response.content.decode()
    response = owner.post(EDIT, _about(clinic, description_fr="x" * 5001))
    assert response.status_code == 400
    assert "Please keep the description to 5,000 characters (it has 5,001)." in (
        response.content.decode()
    )
    assert not ListingChange.objects.exists()
    # What the owner typed is still in the form.
    page = owner.post(
        EDIT, _about(clinic, summary_en="Another English summary.", summary_de=GERMAN_SUMMARY)
    ).content.decode()
    assert GERMAN_SUMMARY in page


def test_the_editor_shows_the_pending_translations_until_staff_decide(owner, clinic):
    owner.post(EDIT, _about(clinic, summary_es="Líneas dibujadas a mano, punto a punto."))
    page = owner.get(EDIT).content.decode()
    assert 'value="Líneas dibujadas a mano, punto a punto."' in page
    assert "Summary in other languages" in page  # the waiting change is named


def test_staff_get_a_clear_message_for_a_wrong_shape_in_admin(admin_client, clinic):
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, {})}
    data.update(
        {
            "city": clinic.city.pk,
            "services": [],
            "summary_translations": '{"it": "Ciao"}',
            "description_translations": '{"de": "Gut."}',
            **{f"{inline}-{count}": 0 for inline in INLINES for count in COUNTS},
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "“it” is not one of the site&#x27;s languages" in response.content.decode()
    assert Clinic.objects.get(pk=clinic.pk).summary_translations == {}
    data["summary_translations"] = '{"fr": "Des lignes dessinées à la main."}'
    assert admin_client.post(url, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.summary_translations == {"fr": "Des lignes dessinées à la main."}
    assert clinic.description_translations == {"de": "Gut."}


INLINES = ("artists", "photos", "credentials", "closures")
COUNTS = ("TOTAL_FORMS", "INITIAL_FORMS")
