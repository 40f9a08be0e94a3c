"""Every test that needs the whole sample data, which is loaded once for this module
(`demo_data`, tests/conftest.py; `tests/demo/test_load_demo.py` runs the command from an
empty database): a load takes seconds, so these tests share one rather than each module
its own.

The sample directory reads like many businesses: no two clinics or artists share a name,
a summary, a description, a bio or a portrait, the gallery says it is drawn, and every
address of the sitemap answers; the bios, phones and names read like real listings; the
sample training events; and the bench's page finder."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from clinics.models import Artist, Clinic, ClinicPhoto
from tests.demo.test_sample_people import AREA_CODES, grammar_problems
from tests.sitemaps import full_sitemap
from training.models import Event, TrainingClass

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data"), pytest.mark.slow]


def test_every_sample_clinic_and_artist_is_its_own(client):
    clinics = list(Clinic.objects.all())
    for field in ("name", "summary", "description"):
        values = [getattr(clinic, field) for clinic in clinics]
        assert len(set(values)) == len(values), f"two clinics share a {field}"
    assert all(clinic.is_sample for clinic in clinics)
    artists = list(Artist.objects.all())
    for field in ("name", "bio", "portrait"):
        values = [str(getattr(artist, field)) for artist in artists]
        assert len(set(values)) == len(values), f"two artists share a {field}"
    assert all(artist.bio.startswith(artist.name.split()[0]) for artist in artists)


def test_gallery_pictures_are_labelled_as_illustrations(client):
    assert all(p.alt_text.startswith("Illustration:") for p in ClinicPhoto.objects.all())
    clinic = Clinic.objects.listed().first()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "drawn illustrations of SMP stages, not photos of real clients" in html
    assert "Before · work by" in html and "· illustration</figcaption>" in html
    assert "Healed, 8 months after the last session · work by" in html
    assert "The studio · illustration" in html


def test_an_older_loaders_clinics_go_and_a_rerun_changes_nothing():
    stale = Clinic.objects.create(
        name="Old Demo Name",
        slug="old-demo-name",
        city=Clinic.objects.first().city,
        is_sample=True,
        status="approved",
    )
    before = sorted(Clinic.objects.exclude(pk=stale.pk).values_list("pk", "summary"))
    call_command("load_demo", skip_gazetteer=True)
    assert not Clinic.objects.filter(pk=stale.pk).exists()
    assert sorted(Clinic.objects.values_list("pk", "summary")) == before


def test_a_sample_profile_says_it_is_sample_once(client):
    clinic = Clinic.objects.filter(status="approved").first()
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert html.count("Sample listing:") == 2  # the listing, and its drawn gallery
    assert "Sample listing. " not in html


def test_every_url_in_the_sitemap_answers_with_the_demo_data(client):
    body = full_sitemap(client)
    paths = [loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>(.*?)</loc>", body)]
    assert len(paths) > 100
    for path in paths:
        assert client.get(path).status_code == 200, path


# The sample people (grammar and area codes: tests/demo/test_sample_people.py).
def test_sample_bios_phones_and_names_read_like_real_listings():
    artists = list(Artist.objects.select_related("clinic"))
    bad_bios = {a.bio: grammar_problems(a.bio) for a in artists if grammar_problems(a.bio)}
    assert not bad_bios, f"{len(bad_bios)} of {len(artists)} bios read wrong: {bad_bios}"

    clinics = list(Clinic.objects.filter(is_sample=True).select_related("city"))
    wrong_area = [
        (c.city.name, c.phone) for c in clinics if not c.phone.startswith(AREA_CODES[c.city.name])
    ]
    assert not wrong_area, f"phone numbers from another city's area: {wrong_area}"

    borrowed = [
        (artist.name, clinic.name)
        for artist in artists
        for clinic in clinics
        if clinic.pk != artist.clinic_id and artist.name.split()[-1] in clinic.name.split()
    ]
    assert not borrowed, f"artists named like another clinic: {borrowed[:5]}"


# The sample training events: at least one past, two upcoming, one online, all marked as
# sample, and the same on every run.
def test_load_demo_makes_marked_sample_events_and_is_idempotent(client):
    # The first run is the module's (`demo_data`, tests/conftest.py).
    first = list(Event.objects.order_by("slug").values_list("slug", "starts_on"))
    classes = TrainingClass.objects.count()
    call_command("load_demo", skip_gazetteer=True)
    assert list(Event.objects.order_by("slug").values_list("slug", "starts_on")) == first
    assert TrainingClass.objects.count() == classes

    events = Event.objects.published()
    assert not Event.objects.filter(is_sample=False).exists()
    assert events.past().count() >= 1
    assert events.upcoming().count() >= 2
    assert events.upcoming().filter(online=True).exists()
    assert events.filter(kind=Event.Kind.COURSE, classes__isnull=False).distinct().exists()
    # Artists from the sample directory teach, and a guest too.
    assert TrainingClass.objects.filter(instructors__artist__isnull=False).exists()
    assert TrainingClass.objects.filter(instructors__artist__isnull=True).exists()
    assert TrainingClass.objects.filter(seats_taken__gte=1).exists()

    for event in events:
        html = client.get(event.get_absolute_url()).content.decode()
        assert "Sample event" in html, event.slug
    training_class = TrainingClass.objects.filter(event__online=True).first()
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert "organiser’s time" in html and "Sample event" in html


def test_the_sample_dates_follow_the_day_it_runs():
    from demo.training import load_training

    counts = load_training(today=date(2031, 12, 31))
    assert counts["events"] == 4
    # A year apart, in different years, even on the last day of a year.
    meetings = Event.objects.filter(slug__startswith="northern-smp-meeting-").order_by("starts_on")
    assert [e.slug for e in meetings] == ["northern-smp-meeting-2031", "northern-smp-meeting-2032"]


# The bench's page finder (`manage.py bench_pipeline`), on the demo with 100 more clinics.
def test_bench_pipeline_finds_the_pages_to_measure():
    call_command("load_demo", "--scale", "100", "--skip-gazetteer", stdout=StringIO())
    out = StringIO()
    call_command("bench_pipeline", "urls", stdout=out)
    paths = json.loads(out.getvalue())
    assert set(paths) == {
        "country",
        "city",
        "clinic",
        "article",
        "static",
        "training_class",
        "sitemap_page",
    }
    assert paths["city"].endswith("/scale-samplebury/")

    # The spreads: random addresses across the whole directory, the same draw every run.
    spread = StringIO()
    call_command("bench_pipeline", "spread", "600", "5", stdout=spread)
    drawn = json.loads(spread.getvalue())
    listed = Clinic.objects.listed()
    assert len(drawn["profiles"]) == min(600, listed.count())
    assert set(drawn["profiles"]) == {clinic.get_absolute_url() for clinic in listed}
    assert len(set(drawn["cities"])) == 5
    again = StringIO()
    call_command("bench_pipeline", "spread", "600", "5", stdout=again)
    assert json.loads(again.getvalue()) == drawn


def test_the_bench_city_is_the_same_at_every_scale():
    """The bench drives Samplebury (`load_demo --scale`) at demo size and at 10,000
    clinics: the same hundred clinics, with the same services and languages, at both (a
    filtered page once found none of them at one size and three at the other), so both
    sizes measure one page."""
    from demo.directory import load_scale

    def samplebury() -> list:
        clinics = (
            Clinic.objects.filter(city__slug="scale-samplebury")
            .prefetch_related("services", "languages")
            .order_by("pk")
        )
        return [
            (
                clinic.name,
                clinic.price_from,
                clinic.reply_rate,
                sorted(service.slug for service in clinic.services.all()),
                sorted(language.code for language in clinic.languages.all()),
            )
            for clinic in clinics
        ]

    load_scale(100)
    small = samplebury()
    load_scale(600)
    assert len(small) == 100
    assert samplebury() == small
