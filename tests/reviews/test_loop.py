"""The whole loop: choose, invitation at the configured delay, a review with a healed photo,
staff approval, the profile and card, the clinic's reply, and the client's withdrawal."""

import io
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reviews.models import ClinicReply, Review, ReviewInvite, ReviewPhoto
from tests import images
from tests.quotes.support import stored_files, upload
from tests.reviews.support import chosen_request, link_in, review_data

# The emails go out once the request's writes commit (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]


def _json_ld_nodes(html: str) -> dict:
    """Every schema.org block on the page, nodes with the same @id merged (as JSON-LD does)."""
    nodes: dict = {}
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        key = data.get("@id", id(data))
        nodes.setdefault(key, {}).update(data)
    return nodes


def _review_emails(kind_subject: str):
    return [m for m in mail.outbox if kind_subject in m.subject]


def test_a_chosen_clinic_is_reviewed_shown_replied_to_and_the_review_withdrawn(
    client, admin_client, clinic, settings, private_dir
):
    settings.REVIEW_INVITE_AFTER_DAYS = 90
    chosen_at = timezone.now()
    quote = chosen_request(clinic, name="Sam Client", price=1500)
    mail.outbox.clear()

    # 1. Nothing before the treatment has healed; one invitation on day 90, however often run.
    with time_machine.travel(chosen_at + timedelta(days=89, hours=23)):
        call_command("send_review_invites")
    assert not ReviewInvite.objects.exists() and not mail.outbox
    with time_machine.travel(chosen_at + timedelta(days=90, minutes=1)):
        call_command("send_review_invites")
        call_command("send_review_invites")
    [invitation] = mail.outbox
    assert invitation.to == ["sam@client.example"]
    assert "How did your SMP with Aire Scalp Studio go?" == invitation.subject
    write_url = link_in(invitation, "/reviews/write/")
    mail.outbox.clear()

    # 2. The client writes a review with a healed photo that carries GPS in its EXIF.
    with time_machine.travel(chosen_at + timedelta(days=91)):
        page = client.get(write_url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "who quoted £1,500, fixed" in html and 'value="Sam C."' in html
        photo = upload(
            "healed.jpg",
            images.photo_jpeg(77, exif=images.exif_with_gps_and_orientation(1)),
        )
        response = client.post(
            write_url, review_data(photos=[photo], photo_consent="on", display_name="Sam C.")
        )
    assert response.status_code == 302 and response["Location"].startswith("/reviews/yours/?key=")
    review = Review.objects.get()
    assert (review.status, review.rating, review.clinic) == ("pending", 4, clinic)
    stored = ReviewPhoto.objects.get()
    assert stored.sanitised and stored.fingerprint
    with Image.open(io.BytesIO(stored.file.read())) as sanitised:
        assert not sanitised.getexif() and "exif" not in sanitised.info
    [receipt] = mail.outbox
    assert receipt.to == ["sam@client.example"] and "manage" not in receipt.subject
    manage_url = link_in(receipt, "/reviews/yours/")
    mail.outbox.clear()

    # 3. Pending: not on the profile, the photo not public, the clinic told nothing.
    profile = clinic.get_absolute_url()
    assert "Sam C." not in client.get(profile).content.decode()
    photo_url = reverse("reviews:photo", args=[stored.pk])
    assert client.get(photo_url).status_code == 404
    assert not mail.outbox

    # 4. Staff approve it in admin.
    response = admin_client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "publish_selected", "_selected_action": [review.pk]},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "published"
    to_client, to_clinic = sorted(mail.outbox, key=lambda m: m.to != ["sam@client.example"])
    assert "is published" in to_client.subject
    assert to_clinic.to == ["aire@clinics.example"]
    assert "sam@client.example" not in to_clinic.body and "Sam Client" not in to_clinic.body
    reply_url = link_in(to_clinic, "/reviews/reply/")
    # ...and it points to the clinic account, where every review waits for a reply.
    assert link_in(to_clinic, "/clinic-account/reviews/") == "/clinic-account/reviews/"

    # 5. On the profile: average, count, distribution, verified month, photo, JSON-LD.
    html = client.get(profile).content.decode()
    month = quote.created_at.strftime("%B %Y")
    assert f"Verified client: asked for a quote here in {month}" in html
    assert '<strong class="reviews__score">4.0</strong> out of 5 ·' in html
    assert "1 review" in html and "Rated 4.0 out of 5 by 1 verified client" in html
    assert reverse("reviews:photo-thumb", args=[stored.pk]) in html
    assert client.get(photo_url).status_code == 200
    business = _json_ld_nodes(html)[f"http://testserver{profile}#business"]
    assert business["@type"] == "HealthAndBeautyBusiness"
    assert business["aggregateRating"]["ratingValue"] == "4.0"
    assert business["aggregateRating"]["ratingCount"] == 1
    assert [r["reviewRating"]["ratingValue"] for r in business["review"]] == [4]
    assert business["review"][0]["author"]["name"] == "Sam C."
    card = client.get(clinic.city.get_absolute_url()).content.decode()
    assert "4.0 out of 5 · 1 review" in card

    # 6. The clinic replies once through its own link; staff publish the reply.
    page = client.get(reply_url).content.decode()
    assert "Sam C." in page and "sam@client.example" not in page and "Sam Client" not in page
    client.post(
        reply_url,
        {
            "text": "Thank you, Sam. See you for the touch-up!",
            "leave_blank": "",
            "form_token": review_data()["form_token"],
        },
    )
    reply = ClinicReply.objects.get()
    assert "Thank you, Sam" not in client.get(profile).content.decode()
    admin_client.post(
        reverse("admin:reviews_clinicreply_changelist"),
        {"action": "publish_selected", "_selected_action": [reply.pk]},
    )
    html = client.get(profile).content.decode()
    assert "Reply from Aire Scalp Studio" in html and "Thank you, Sam" in html
    assert "<textarea" not in client.get(reply_url).content.decode()  # one reply per review

    # 7. The client withdraws it: asked first, then everything goes.
    confirm_url = manage_url.replace("/reviews/yours/", "/reviews/yours/withdraw/")
    assert "Withdraw my review" in client.get(manage_url).content.decode()
    assert "Yes, withdraw it" in client.get(confirm_url).content.decode()
    assert Review.objects.exists()  # a GET never withdraws
    response = client.post(confirm_url)
    assert response.status_code == 302 and response["Location"] == reverse("reviews:withdrawn")
    assert not Review.objects.exists() and not ClinicReply.objects.exists()
    assert not ReviewPhoto.objects.exists() and not stored_files(private_dir / "reviews")
    html = client.get(profile).content.decode()
    assert "Sam C." not in html and "aggregateRating" not in html and "Rated 4.0" not in html
    assert "out of 5 ·" not in client.get(clinic.city.get_absolute_url()).content.decode()
    assert client.get(photo_url).status_code == 404
    assert client.get(write_url).status_code == 410  # no second review after withdrawing
