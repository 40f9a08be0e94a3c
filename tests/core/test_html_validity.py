"""The Nu HTML Checker (vnu.jar, the W3C's validator) finds no error on the site's pages."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from quotes import pipeline
from quotes.links import compare_path, reply_path, thanks_path
from quotes.models import QuoteReply
from tests.factories import ArticleFactory, ClinicFactory, ClinicPhotoFactory, FaqEntryFactory
from tests.quotes.support import make_quote
from tests.services import missing

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# Installed by `make test` (npm's vnu-jar package); VNU_JAR may point at another copy.
DEFAULT_JAR = Path(settings.BASE_DIR) / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture
def vnu() -> list[str]:
    jar = Path(os.environ.get("VNU_JAR", DEFAULT_JAR))
    if not jar.is_file():
        missing(f"the Nu HTML Checker is not installed at {jar} (make test installs it)")
    if not shutil.which("java"):
        missing("java is not installed (apt-get install -y default-jre-headless)")
    return ["java", "-Xss1024k", "-jar", str(jar)]


def _pages(client) -> dict[str, str]:
    call_command("load_demo", skip_gazetteer=True)
    from clinics.models import City, Clinic

    clinic = Clinic.objects.listed().filter(photos__isnull=False).first()
    ClinicPhotoFactory(clinic=clinic)
    city = City.objects.with_listed_clinics().order_by("-listed_clinic_count").first()
    article = ArticleFactory(with_hero=True)
    FaqEntryFactory(category=article.category)
    quote = make_quote(clinic.placed_city, clinic=clinic, mode="city", photos=1)
    pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.filter(kind="artist").first()
    reply = QuoteReply.objects.create(
        delivery=delivery, currency="GBP", price_min=1200, price_max=1500, price_type="estimate"
    )
    token = compare_path(quote.pk).split("/")[-2]
    from reviews.links import manage_path, write_path
    from reviews.links import reply_path as review_reply_path
    from reviews.models import Review
    from tests.reviews.support import invited

    review = Review.objects.published().select_related("clinic").first()
    invite = invited(ClinicFactory(city=city))
    # The clinic account, signed in as the owner of the clinic the request went to (the
    # sign-in pages as a stranger).
    from members.links import link_path
    from members.signin import invite as invite_member

    link = invite_member(delivery.clinic, "owner@clinic.example", "owner")
    client.force_login(link.user, backend="django.contrib.auth.backends.ModelBackend")
    account = {
        "anonymous clinic sign-in": reverse("members:sign-in"),
        "anonymous sign-in link": link_path(link.pk),
        "account home": reverse("members:home"),
        "inbox": reverse("inbox:list"),
        "inbox request": reverse("inbox:request", args=[delivery.pk]),
        "listing editor": reverse("listing_changes:edit"),
        "artists": reverse("listing_changes:artists"),
        "withdraw listing": reverse("listing_changes:withdraw"),
        "gallery photos": reverse("listing_changes:photos"),
        "remove a photo": reverse(
            "listing_changes:remove-photo", args=[delivery.clinic.photos.first().pk]
        ),
        "a new portrait": reverse(
            "listing_changes:portrait", args=[delivery.clinic.artists.first().pk]
        ),
        "account reviews": reverse("reviews_account:list"),
        "account credentials": reverse("credentials_account:list"),
        "account training": reverse("training_account:organised"),
        "team": reverse("members:team"),
        "sign-in settings": reverse("members:security"),
    }
    public = {
        "reviewed clinic": review.clinic.get_absolute_url(),
        "city by rating": city.get_absolute_url() + "?sort=rating&rating=4",
        "review rules": reverse("reviews:rules"),
        "write a review": write_path(invite.pk),
        "your review": manage_path(review.pk),
        "withdraw": manage_path(review.pk).replace("/yours/", "/yours/withdraw/"),
        "review reply": review_reply_path(review.pk, review.clinic.quote_email),
        "home": "/",
        "countries": reverse("clinics:countries"),
        "city": city.get_absolute_url(),
        "clinic": clinic.get_absolute_url(),
        "search": "/search/?q=london",
        "article": article.get_absolute_url(),
        "articles": reverse("articles:list"),
        "faq": reverse("articles:faq"),
        "quote form": reverse("quotes:request"),
        "apply": reverse("applications:apply"),
        "about": reverse("pages:about"),
        "approval": reverse("pages:how-we-approve-clinics"),
        "privacy": reverse("pages:privacy"),
        "terms": reverse("pages:terms"),
        "listing terms": reverse("pages:listing-terms"),
        "contact": reverse("pages:contact"),
        "thanks": thanks_path(quote.pk),
        "compare": compare_path(quote.pk),
        "choose": reverse("quotes:decide-choose", args=[token, reply.pk]),
        "delete": reverse("quotes:decide", args=[token, "delete"]),
        "anonymous reply": reply_path(delivery.pk),
    }
    # Each public page in German, Spanish and French as well (their own addresses).
    languages = {
        f"{name} ({code})": f"/{code}{url}"
        for code in ("de", "es", "fr")
        for name, url in public.items()
    }
    return {**account, **public, **languages}


def test_the_nu_html_checker_finds_no_error(
    client, vnu, tmp_path, django_capture_on_commit_callbacks
):
    files = {}
    with django_capture_on_commit_callbacks(execute=True):  # the emails and ratings it makes
        pages = _pages(client)
    anonymous = type(client)()
    for name, url in pages.items():
        response = (anonymous if name.startswith("anonymous ") else client).get(url)
        assert response.status_code == 200, (name, url)
        path = tmp_path / (name.replace(" ", "-") + ".html")
        path.write_bytes(response.content)
        files[str(path)] = name
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}"
        f" ({m.get('extract', '').strip()[:80]})"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
