"""Staff publish a review, or reject it for a published reason; nothing else takes one down.

A clinic that wants a negative review gone has no admin path short of a published reason:
no delete (button, bulk action or URL), no editing of what was written or of its status,
no rejection without a listed reason, and deleting the clinic or the request is refused.
"""

import pytest
from django.core import mail
from django.urls import reverse

from quotes.models import QuoteRequest
from reviews.models import Review
from tests.reviews.support import invited, published_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def negative(clinic):
    return published_review(clinic, rating=1)


def _changelist():
    return reverse("admin:reviews_review_changelist")


def test_a_negative_review_survives_every_admin_path_but_a_published_reason(
    admin_client, negative, clinic
):
    pk = negative.pk
    # No delete: not the page, not the bulk action, not the button.
    assert admin_client.get(reverse("admin:reviews_review_delete", args=[pk])).status_code == 403
    admin_client.post(
        _changelist(), {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
    )
    assert Review.objects.filter(pk=pk).exists()
    change = admin_client.get(reverse("admin:reviews_review_change", args=[pk]))
    assert b"deletelink" not in change.content
    actions = dict(admin_client.get(_changelist()).context["action_form"].fields["action"].choices)
    assert set(actions) == {"", "publish_selected", "reject_selected"}
    # Editing what was written, the rating or the status through the form changes nothing.
    admin_client.post(
        reverse("admin:reviews_review_change", args=[pk]),
        {"text": "Great!", "rating": 5, "status": "rejected", "rejection_reason": "abusive"},
    )
    negative.refresh_from_db()
    assert (negative.rating, negative.status, negative.text.startswith("A sample")) == (
        1,
        "published",
        True,
    )
    # "Reject" without a reason asks for one; a reason not on the list is refused.
    response = admin_client.post(
        _changelist(), {"action": "reject_selected", "_selected_action": [pk]}
    )
    assert response.status_code == 200 and b"published rule it breaks" in response.content
    admin_client.post(
        _changelist(),
        {"action": "reject_selected", "_selected_action": [pk], "reason": "the clinic asked"},
    )
    admin_client.post(
        _changelist(),
        {"action": "reject_selected", "_selected_action": [pk], "reason": ""},
    )
    negative.refresh_from_db()
    assert negative.status == "published"
    assert "1 verified client" in admin_client.get(clinic.get_absolute_url()).content.decode()
    # Deleting the clinic, or the quote request behind the review, is refused.
    admin_client.post(reverse("admin:clinics_clinic_delete", args=[clinic.pk]), {"post": "yes"})
    quote = negative.invite.quote
    admin_client.post(reverse("admin:quotes_quoterequest_delete", args=[quote.pk]), {"post": "yes"})
    assert Review.objects.filter(pk=pk).exists()
    assert QuoteRequest.objects.filter(pk=quote.pk).exists()


def test_a_published_reason_takes_it_down_and_tells_the_writer_which(
    admin_client, negative, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the email goes out on commit
        admin_client.post(
            _changelist(),
            {"action": "reject_selected", "_selected_action": [negative.pk], "reason": "abusive"},
        )
    negative.refresh_from_db()
    assert (negative.status, negative.rejection_reason) == ("rejected", "abusive")
    [email] = mail.outbox
    assert email.to == ["sam@client.example"]
    assert "It is abusive, threatening, hateful or obscene" in email.body
    negative.clinic.refresh_from_db()
    assert negative.clinic.rating_count == 0


def test_the_model_refuses_any_reason_not_on_the_list(negative):
    with pytest.raises(ValueError):
        negative.reject(None, "negative")
    negative.refresh_from_db()
    assert negative.status == "published"


def test_the_rules_page_lists_every_reason_and_the_never_remove_rule(client):
    html = client.get(reverse("reviews:rules")).content.decode()
    for _value, text in Review.Rejection.choices:
        assert str(text).replace("’", "&#x27;") in html or str(text) in html
    assert "We never remove a review because it is negative, or because a clinic asks." in html


def test_every_review_block_links_the_rules(client, clinic):
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert reverse("reviews:rules") in html  # even before the first review
    published_review(clinic)
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert f'href="{reverse("reviews:rules")}"' in html


def test_the_clinic_sees_nothing_before_publication(client, clinic):
    invite = invited(clinic)
    Review.objects.create(
        invite=invite,
        clinic=clinic,
        rating=2,
        result_rating=2,
        communication_rating=2,
        value_rating=2,
        text="Pending words that the clinic must not read before staff have published them.",
        display_name="Sam C.",
    )
    clinic_mail = [m for m in mail.outbox if m.to == [clinic.quote_email]]
    assert all("/reviews/" not in m.body for m in clinic_mail)
    assert "Pending words" not in client.get(clinic.get_absolute_url()).content.decode()
