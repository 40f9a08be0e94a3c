"""Publish and Reject buttons on a review's own admin page: the list's actions on that one
review, a confirmation first (neither can be taken back), and a message saying what happened."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from reviews.models import ClinicReply, Review
from tests.reviews.support import invited

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(clinic):
    invite = invited(clinic)
    return Review.objects.create(
        invite=invite,
        clinic=clinic,
        rating=2,
        result_rating=2,
        communication_rating=2,
        value_rating=2,
        price_match=Review.PriceMatch.YES,
        text="A pending review long enough to pass the form's forty-character minimum.",
        display_name="Sam",
    )


def _change(review) -> str:
    return reverse("admin:reviews_review_change", args=[review.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_pending_review_s_page_has_publish_and_reject_buttons(admin_client, pending):
    page = admin_client.get(_change(pending)).content.decode()
    assert f'href="/admin/reviews/review/{pending.pk}/publish/"' in page
    assert f'href="/admin/reviews/review/{pending.pk}/reject/"' in page
    assert "Publish…" in page and "Reject…" in page


def test_publish_asks_first_then_publishes_and_says_so(
    admin_client, pending, django_capture_on_commit_callbacks
):
    url = reverse("admin:reviews_review_publish", args=[pending.pk])
    confirm = admin_client.get(url)  # GET only asks: nothing changes
    assert confirm.status_code == 200
    assert "cannot be taken back" in confirm.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(url, follow=True)
    assert done.status_code == 200 and done.redirect_chain[-1][0] == _change(pending)
    pending.refresh_from_db()
    assert pending.status == "published" and pending.published_at is not None
    assert "Published 1 review." in _messages(done)
    assert {address for email in mail.outbox for address in email.to} == {
        "sam@client.example",
        "aire@clinics.example",
    }
    # Decided: the button is gone, and a second POST changes nothing and says so.
    page = done.content.decode()
    assert "Publish…" not in page and "Reject…" in page  # still open to a published reason
    again = admin_client.post(url, follow=True)
    assert _messages(again) == ["1 review had already been decided and stayed as it was."]


def test_reject_asks_for_a_reason_then_rejects_and_says_which(admin_client, pending):
    url = reverse("admin:reviews_review_reject", args=[pending.pk])
    ask = admin_client.get(url)
    text = ask.content.decode()
    assert ask.status_code == 200 and "Choose the published rule it breaks" in text
    assert "This cannot be undone" in text and f'href="{_change(pending)}"' in text
    refused = admin_client.post(url, {"reason": "the clinic asked"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"
    done = admin_client.post(url, {"reason": "off_topic"}, follow=True)
    assert done.redirect_chain[-1][0] == _change(pending)
    pending.refresh_from_db()
    assert (pending.status, pending.rejection_reason) == ("rejected", "off_topic")
    [message] = _messages(done)
    assert message.startswith("Rejected 1 review: It is not about the writer’s own treatment")
    page = done.content.decode()
    assert "Publish…" not in page and "Reject…" not in page


def test_a_clinic_reply_has_the_same_buttons(admin_client, pending):
    pending.publish(None)
    reply = ClinicReply.objects.create(review=pending, text="Thank you for the feedback.")
    change = reverse("admin:reviews_clinicreply_change", args=[reply.pk])
    assert "Publish…" in admin_client.get(change).content.decode()
    done = admin_client.post(
        reverse("admin:reviews_clinicreply_publish", args=[reply.pk]), follow=True
    )
    reply.refresh_from_db()
    assert reply.status == "published"
    assert "Published 1 clinic reply." in _messages(done)


def test_staff_without_the_change_permission_cannot_use_the_buttons(
    client, django_user_model, pending
):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_review"))
    client.force_login(viewer)
    assert "Publish…" not in client.get(_change(pending)).content.decode()
    url = reverse("admin:reviews_review_publish", args=[pending.pk])
    assert client.post(url).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"
