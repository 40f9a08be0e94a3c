"""A clinic's request inbox: every request sent to it, and one screen per request.

Reached signed in as a member of the clinic (members/access.py). A request is found by
its delivery's id *and* the member's clinic, so typing another clinic's id finds
nothing (404). The request screen is the reply page of the emailed link
(`reply_views.reply_page`): the same rules decide what of the client is shown.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from common.pagination import page_or_404
from members.access import member_required

from . import stats
from .models import QuoteDelivery, QuoteReply, QuoteRequest
from .reply_views import reply_page

PER_PAGE = 50

# What a request is, seen from one clinic, and how the inbox names it.
STATES = {
    "new": _("New"),
    "answered": _("Answered"),
    "not_a_fit": _("Answered: not a fit"),
    "changed": _("Answer changed"),
    "chosen": _("Chosen: you"),
    "not_chosen": _("Another clinic chosen"),
    "closed": _("Closed by the client"),
    "withdrawn": _("Withdrawn by the client"),
    "expired": _("Expired without an answer"),
}


def _deliveries(clinic_id: int):
    chosen = QuoteReply.objects.filter(
        delivery__quote=OuterRef("quote"), chosen_at__isnull=False
    ).values("delivery_id")[:1]
    return (
        QuoteDelivery.objects.filter(kind=QuoteDelivery.Kind.ARTIST, clinic_id=clinic_id)
        .exclude(quote__status=QuoteRequest.Status.SPAM)
        .select_related("quote__city", "reply")
        # Only what a row of the list shows and its state reads (`state_of`).
        .only(
            "created_at",
            "quote__reference",
            "quote__status",
            "quote__closed_at",
            "quote__mode",
            "quote__city__name",
            "quote__city__local_names",
            "reply__declined",
            "reply__revised_at",
        )
        .annotate(chosen_delivery_id=Subquery(chosen))
        .order_by("-created_at", "-pk")
    )


def state_of(delivery: QuoteDelivery, now=None) -> str:
    """The request's state for this clinic (a key of STATES)."""
    quote = delivery.quote
    reply = getattr(delivery, "reply", None)
    chosen_id = delivery.chosen_delivery_id  # type: ignore[attr-defined]
    if quote.status == QuoteRequest.Status.ERASED:
        return "withdrawn"
    if chosen_id is not None:
        return "chosen" if chosen_id == delivery.pk else "not_chosen"
    if quote.closed_at is not None:
        return "closed"
    if reply is not None:
        if reply.declined:
            return "not_a_fit"
        return "changed" if reply.revised_at else "answered"
    now = now or timezone.now()
    if delivery.created_at < now - timedelta(days=settings.QUOTE_REPLY_LINK_DAYS):
        return "expired"
    return "new"


def figures(clinic, now=None) -> dict:
    """The clinic's last 90 days, in one query: what it received, answered and won; and
    the reply figures its profile shows (quotes/stats.py), or why not yet."""
    now = now or timezone.now()
    # The requests the list below shows (made in the window, spam left out), so the count
    # and the list agree; the reply figures are the profile's own.
    counts = (
        QuoteDelivery.objects.filter(
            kind=QuoteDelivery.Kind.ARTIST, clinic=clinic, created_at__gte=now - stats.WINDOW
        )
        .exclude(quote__status=QuoteRequest.Status.SPAM)
        .aggregate(
            received=Count("pk"),
            answered=Count("reply"),
            chosen=Count("reply", filter=Q(reply__chosen_at__isnull=False)),
        )
    )
    return {
        **counts,
        "days": stats.WINDOW.days,
        "min_requests": stats.MIN_REQUESTS,
        "reply_rate": clinic.reply_rate,
        "median_reply_hours": clinic.median_reply_hours,
    }


@member_required
@require_http_methods(["GET", "HEAD"])
def inbox(request):
    member = request.member
    page = page_or_404(request, _deliveries(member.clinic_id), PER_PAGE)
    now = timezone.now()
    rows = [(delivery, state_of(delivery, now)) for delivery in page.object_list]
    return render(
        request,
        "quotes/inbox.html",
        {
            "member": member,
            "page": page,
            "rows": [
                {
                    "url": reverse("inbox:request", args=[d.pk]),
                    "reference": d.quote.reference,
                    "state": key,
                    "label": str(STATES[key]),
                    "city": d.quote.city.local_name if d.quote.city else "",
                    "single": d.quote.mode == QuoteRequest.Mode.SINGLE,
                    "created_at": d.created_at,
                }
                for d, key in rows
            ],
            "figures": figures(member.clinic),
            "account_section": "inbox",
        },
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def inbox_request(request, delivery_id: int):
    member = request.member
    delivery = get_object_or_404(
        QuoteDelivery.objects.select_related("quote__city", "clinic__city").exclude(
            quote__status=QuoteRequest.Status.SPAM
        ),
        pk=delivery_id,
        kind=QuoteDelivery.Kind.ARTIST,
        clinic_id=member.clinic_id,
    )
    return reply_page(request, delivery, changed_by=f"signed in as {member.user.email}", inbox=True)
