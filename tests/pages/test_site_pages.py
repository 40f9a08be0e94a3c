"""The pages that say who runs the site and what it does with people's data."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from pages.content import create_missing_pages, page_texts
from pages.models import SitePage

pytestmark = pytest.mark.django_db


PAGES = {
    "about": "About SMP Clinic Finder",
    "how-we-approve-clinics": "How we approve clinics",
    "privacy": "Privacy policy",
    "terms": "Terms for clients",
    "listing-terms": "Listing terms for clinics",
}


def test_the_first_migrate_creates_each_page_once_and_never_overwrites_an_edit():
    SitePage.objects.all().delete()
    assert create_missing_pages(SitePage) == len(page_texts()) == len(PAGES)
    SitePage.objects.filter(slug="about").update(title="About our studio network")
    assert create_missing_pages(SitePage) == 0
    assert SitePage.objects.get(slug="about").title == "About our studio network"


@pytest.mark.django_db(transaction=True)
def test_the_pages_come_back_after_a_flush(client):
    """`flush` (what every transactional test runs after itself) empties the table; the
    pages the site promises from the first migrate are made again, as content types are."""
    call_command("flush", interactive=False, verbosity=0)
    assert sorted(SitePage.objects.values_list("slug", flat=True)) == sorted(PAGES)
    assert client.get(reverse("pages:about")).status_code == 200


@pytest.mark.parametrize(("slug", "title"), PAGES.items())
def test_each_page_exists_from_the_first_migrate_and_says_it_is_a_starting_point(
    client, slug, title
):
    response = client.get(reverse(f"pages:{slug}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert "starting point" in html
    assert "<script" not in SitePage.objects.get(slug=slug).body_html


def test_the_privacy_policy_says_what_the_code_does(client, settings):
    html = client.get(reverse("pages:privacy")).content.decode()
    assert f"after {settings.QUOTE_PHOTO_RETENTION_DAYS} days" in html
    assert f"after {settings.QUOTE_SPAM_RETENTION_DAYS} days" in html
    assert "never more than a year" in html and settings.QUOTE_REQUEST_RETENTION_DAYS == 365
    assert "explicit consent" in html and "Information Commissioner" in html


def test_staff_edits_show_and_the_markdown_stays_safe(client):
    page = SitePage.objects.get(slug="about")
    page.body = "## Who we are\n\nA small team. <script>alert(1)</script>"
    page.save()
    html = client.get(reverse("pages:about")).content.decode()
    assert "A small team." in html and "<script>alert" not in html


def test_every_page_links_the_trust_pages_from_its_footer(client):
    html = client.get(reverse("pages:home")).content.decode()
    footer = html[html.index("<footer") :]
    for slug in [*PAGES, "contact"]:
        assert f'href="{reverse(f"pages:{slug}")}"' in footer, slug


def test_the_consent_boxes_link_what_people_agree_to(client):
    from tests.factories import CityFactory

    CityFactory()
    quote_form = client.get(reverse("quotes:request")).content.decode()
    assert f'href="{reverse("pages:privacy")}"' in quote_form
    assert f'href="{reverse("pages:terms")}"' in quote_form
    application = client.get(reverse("applications:apply")).content.decode()
    assert f'href="{reverse("pages:listing-terms")}"' in application


def test_staff_cannot_delete_a_page_people_rely_on(admin_client):
    page = SitePage.objects.get(slug="privacy")
    response = admin_client.post(reverse("admin:pages_sitepage_delete", args=[page.pk]))
    assert response.status_code == 403
    assert SitePage.objects.filter(slug="privacy").exists()


def test_the_trust_migration_updates_pages_staff_have_not_edited_only(db):
    """pages/migrations/0004: the approval and privacy pages name the new checks, unless
    staff have changed their text since it was first created."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pages.migrations.0004_trust_checks_in_site_pages")
    first = migration.FIRST_BODIES
    SitePage.objects.filter(slug="how-we-approve-clinics").update(
        body=first["how-we-approve-clinics"]
    )
    SitePage.objects.filter(slug="privacy").update(body="Our own privacy text, edited by staff.")
    migration.update_unedited(apps, None)
    approval = SitePage.objects.get(slug="how-we-approve-clinics")
    assert approval.body == page_texts()["how-we-approve-clinics"]["body"]
    assert "fingerprint" in approval.body_html and "/reviews/rules/" in approval.body_html
    assert SitePage.objects.get(slug="privacy").body == "Our own privacy text, edited by staff."
