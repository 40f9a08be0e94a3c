"""Inviting clients who chose a clinic to review it: the job behind
`manage.py send_review_invites` and its beat task.

1. REVIEW_INVITE_AFTER_DAYS after a client chose an artist (QuoteRequest.choose), once the
   treatment has had time to heal: an invitation (ReviewInvite) and its email.
2. REVIEW_FOLLOW_UP_DAYS after the choice: a second one, "how has it held up?".
3. Addresses the invitations no longer need are blanked.

Each run creates only what is due and missing (the unique constraints make a second run,
or two at once, create nothing twice), so it is safe to run again at any time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from clinics.models import listed_q
from quotes.models import QuoteReply, QuoteRequest

from .models import ReviewEmail, ReviewInvite

Stage = ReviewInvite.Stage


def send_review_invites(now: datetime | None = None) -> int:
    """Create and send every invitation due. Returns how many were created."""
    now = now or timezone.now()
    created = _first_invites(now) + _follow_ups(now)
    forget_addresses(now)
    ReviewEmail.objects.filter(kind=ReviewEmail.Kind.INVITE).enqueue()
    return created


def _first_invites(now: datetime) -> int:
    due = now - timedelta(days=settings.REVIEW_INVITE_AFTER_DAYS)
    # A choice older than the follow-up is past asking about (a database that had
    # choices before reviews existed is not flooded with late invitations).
    oldest = now - timedelta(days=settings.REVIEW_FOLLOW_UP_DAYS)
    invited = ReviewInvite.objects.filter(quote=OuterRef("delivery__quote"), stage=Stage.HEALED)
    chosen = (
        QuoteReply.objects.filter(
            listed_q("delivery__clinic__"),
            chosen_at__lte=due,
            chosen_at__gt=oldest,
            delivery__quote__status=QuoteRequest.Status.DISPATCHED,
        )
        .exclude(delivery__quote__email="")
        .exclude(Exists(invited))
        .select_related("delivery__quote", "delivery__clinic")
    )
    count = 0
    for reply in chosen:
        quote = reply.delivery.quote
        count += _invite(
            quote_id=quote.pk,
            stage=Stage.HEALED,
            clinic=reply.delivery.artist,
            asked_at=quote.created_at,
            chosen_at=reply.chosen_at,
            quoted_price="" if reply.declined else reply.price_display,
            currency=reply.currency,
            email=quote.email,
        )
    return count


def _follow_ups(now: datetime) -> int:
    due = now - timedelta(days=settings.REVIEW_FOLLOW_UP_DAYS)
    followed = ReviewInvite.objects.filter(quote=OuterRef("quote"), stage=Stage.HELD_UP)
    firsts = (
        ReviewInvite.objects.filter(
            listed_q("clinic__"),
            stage=Stage.HEALED,
            chosen_at__lte=due,
            withdrawn_at__isnull=True,
        )
        .exclude(email="")
        .exclude(Exists(followed))
        .select_related("clinic")
    )
    count = 0
    for first in firsts:
        made = _invite(
            quote_id=first.quote_id,
            stage=Stage.HELD_UP,
            clinic=first.clinic,
            asked_at=first.asked_at,
            chosen_at=first.chosen_at,
            quoted_price=first.quoted_price,
            currency=first.currency,
            email=first.email,
        )
        # The first invitation no longer needs the address: the follow-up holds it now.
        ReviewInvite.objects.filter(pk=first.pk).update(email="")
        count += made
    return count


def _invite(*, quote_id: int, stage: str, email: str, **fields) -> int:
    """One invitation and its email, or nothing if another run made them first."""
    try:
        with transaction.atomic():
            invite = ReviewInvite.objects.create(
                quote_id=quote_id, stage=stage, email=email, **fields
            )
            ReviewEmail.objects.create(invite=invite, kind=ReviewEmail.Kind.INVITE, to_email=email)
    except IntegrityError:
        return 0  # the unique constraint: this invitation exists already
    return 1


def forget_addresses(now: datetime) -> int:
    """Blank the client addresses invitations no longer need.

    A follow-up's (or a withdrawn review's) once its link has run out; a first
    invitation's once its follow-up could no longer come; the review emails' once the
    request retention period has passed since they were sent.
    """
    link_over = now - timedelta(days=settings.REVIEW_LINK_DAYS)
    no_follow_up = now - timedelta(days=settings.REVIEW_FOLLOW_UP_DAYS + settings.REVIEW_LINK_DAYS)
    count = (
        ReviewInvite.objects.exclude(email="")
        .filter(
            Q(stage=Stage.HELD_UP, created_at__lt=link_over)
            | Q(withdrawn_at__isnull=False, created_at__lt=link_over)
            | Q(chosen_at__lt=no_follow_up)
        )
        .update(email="")
    )
    retention = now - timedelta(days=settings.QUOTE_REQUEST_RETENTION_DAYS)
    ReviewEmail.objects.exclude(kind=ReviewEmail.Kind.CLINIC).exclude(to_email="").filter(
        created_at__lt=retention
    ).update(to_email="")
    return count
