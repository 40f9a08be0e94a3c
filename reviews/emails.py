"""Every email about reviews: what each kind of ReviewEmail says. outbox.compose renders
them; outbox.sending sends each row once."""

from django.conf import settings
from django.urls import reverse

from outbox.kinds import EmailContent, email_kind

from .links import absolute, manage_path, reply_path, write_path
from .models import ReviewEmail

Kind = ReviewEmail.Kind


def _base(email: ReviewEmail) -> dict:
    invite = email.invite
    return {
        "invite": invite,
        "clinic": invite.clinic,
        "review": email.review,
        "rules_url": absolute(reverse("reviews:rules")),
    }


@email_kind(ReviewEmail, Kind.INVITE, template="reviews/email/invite")
def invite(email: ReviewEmail) -> EmailContent:
    return EmailContent(
        {
            **_base(email),
            "write_url": absolute(write_path(email.invite_id)),
            "link_days": settings.REVIEW_LINK_DAYS,
        }
    )


def _client(email: ReviewEmail) -> EmailContent:
    review = email.review
    if review is None:
        raise LookupError(f"Review email {email.pk} names no review")
    return EmailContent(
        {
            **_base(email),
            "manage_url": absolute(manage_path(review.pk)),
            "profile_url": absolute(review.clinic.get_absolute_url()),
        }
    )


@email_kind(ReviewEmail, Kind.RECEIVED, template="reviews/email/received")
def received(email: ReviewEmail) -> EmailContent:
    return _client(email)


@email_kind(ReviewEmail, Kind.PUBLISHED, template="reviews/email/decision")
def published(email: ReviewEmail) -> EmailContent:
    return _client(email)


@email_kind(ReviewEmail, Kind.REJECTED, template="reviews/email/decision")
def rejected(email: ReviewEmail) -> EmailContent:
    return _client(email)


@email_kind(ReviewEmail, Kind.CLINIC, template="reviews/email/clinic")
def clinic_notice(email: ReviewEmail) -> EmailContent:
    """To the clinic, once a review of it is published: only what the public sees."""
    review = email.review
    if review is None:
        raise LookupError(f"Review email {email.pk} names no review")
    return EmailContent(
        {
            **_base(email),
            "reply_url": absolute(reply_path(review.pk, email.to_email)),
            "reply_days": settings.REVIEW_REPLY_LINK_DAYS,
            "review_url": absolute(review.get_absolute_url()),
            "account_url": absolute(reverse("reviews_account:list")),
        }
    )
