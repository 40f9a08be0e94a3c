"""Pages behind private links: an artist's reply page and the client's comparison page.

Never cached, never indexed, no third-party requests, and no Referer leaves them (the
link in the address bar is the key). An expired, edited or erased link gets a calm page
that says how to get a new one. A GET only reads: every change is a POST.
"""

import logging
from datetime import timedelta

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from clinics.models import COVER_FIELDS, cover_columns
from common.decorators import ip_rate_limited, private_page
from common.forms import EmailAddressField
from members.access import current_member

from .links import delivery_id_from, photo_path, quote_id_from
from .models import QuoteDelivery, QuoteReply, QuoteRequest, ReplyLocked
from .reply_forms import ReplyForm

logger = logging.getLogger(__name__)


def _link_expired_page(request, who: str, status: int = 410):
    return render(request, "quotes/link_expired.html", {"who": who}, status=status)


def _artist_delivery(token: str) -> QuoteDelivery | None:
    delivery_id = delivery_id_from(token)
    if delivery_id is None:
        return None
    return (
        QuoteDelivery.objects.select_related("quote__city", "clinic__city")
        .filter(pk=delivery_id, kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False)
        .exclude(quote__status=QuoteRequest.Status.SPAM)
        .first()
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, token: str):
    """An artist's page for one request: the client's details while the artist needs
    them, their own answer, and what became of the request.

    A signed-in member of the clinic is taken to the same request in their inbox."""
    delivery = _artist_delivery(token)
    if delivery is None:
        return _link_expired_page(request, "artist")
    member = current_member(request)
    if member is not None and member.clinic_id == delivery.clinic_id:
        return redirect("inbox:request", delivery_id=delivery.pk)
    return reply_page(request, delivery, changed_by=f"reply link sent to {delivery.to_email}")


def reply_page(request, delivery: QuoteDelivery, *, changed_by: str, inbox: bool = False):
    """The reply page of one delivery, reached by its emailed link or from the inbox
    (quotes/inbox_views.py): one screen, one set of rules."""
    quote = delivery.quote
    if quote.status == QuoteRequest.Status.ERASED:
        return render(
            request, "quotes/reply_withdrawn.html", {"quote": quote, "inbox": inbox}, status=410
        )
    existing = QuoteReply.objects.filter(delivery=delivery).first()
    locked = not QuoteReply.is_open_for(quote) or not delivery.artist.is_listed()
    form = ReplyForm(
        request.POST if request.method == "POST" and not locked else None,
        instance=existing,
        currency=delivery.artist.currency,
    )
    if form.is_bound and form.is_valid():
        try:
            QuoteReply.objects.save_answer(delivery, form.cleaned_data, changed_by=changed_by)
        except ReplyLocked:
            locked = True
        else:
            return redirect(f"{request.path}?saved=1")
    shows_client = delivery.shows_client_data()
    photos = (
        [photo_path(photo.pk, delivery.pk) for photo in quote.photos.filter(sanitised=True)]
        if shows_client
        else []
    )
    chosen = quote.chosen_reply()
    contact = delivery.shows_client_contact()
    return render(
        request,
        "quotes/reply.html",
        {
            "delivery": delivery,
            "quote": quote,
            "clinic": delivery.clinic,
            "reply": existing,
            "form": form,
            "locked": locked,
            "shows_client": shows_client,
            # The client by first name until they choose this artist or share their
            # details (conversations/): then their full name, email address and phone.
            "client_name": quote.name if contact else quote.first_name,
            "shows_contact": contact,
            "chosen_here": chosen is not None and chosen.delivery_id == delivery.pk,
            "chosen_elsewhere": chosen is not None and chosen.delivery_id != delivery.pk,
            "photos": photos,
            "saved": request.GET.get("saved") == "1",
            "inbox": inbox,
            "member": getattr(request, "member", None),
            "account_section": "inbox",
        },
    )


def _rows(quote: QuoteRequest, sort: str) -> list[dict]:
    """One row per artist the request went to: replied, declined or not yet."""
    deliveries = (
        quote.deliveries.filter(kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False)
        .select_related("clinic__city", "reply")
        .annotate(**cover_columns("clinic_id"))
        .order_by("clinic__name")
    )
    rows = []
    for delivery in deliveries:
        for field in COVER_FIELDS:  # the clinic's cover photo, fetched with the row
            setattr(delivery.clinic, field, getattr(delivery, field))
        reply = getattr(delivery, "reply", None)
        state = "waiting" if reply is None else ("declined" if reply.declined else "replied")
        sent_at = delivery.sent_at
        rows.append(
            {
                "delivery_id": delivery.pk,
                "clinic": delivery.clinic,
                "reply": reply,
                "state": state,
                "sent_at": sent_at,
                # "Replied 0 minutes after" reads oddly: "within a minute" instead.
                "within_a_minute": bool(
                    reply and sent_at and reply.created_at - sent_at < timedelta(minutes=1)
                ),
            }
        )
    if sort == "price":
        order = {"replied": 0, "waiting": 1, "declined": 2}
        rows.sort(
            key=lambda r: (
                order[r["state"]],
                r["reply"].price_min if r["state"] == "replied" else 0,
                r["clinic"].name,
            )
        )
    return rows


def _client_quote(token: str) -> QuoteRequest | None:
    quote_id = quote_id_from(token)
    if quote_id is None:
        return None
    return QuoteRequest.objects.real().select_related("city", "clinic").filter(pk=quote_id).first()


@private_page
@require_safe
def compare(request, token: str):
    """The client's private page: every artist's answer, side by side. It only reads;
    each decision is a page of its own that says what will happen and asks first."""
    quote = _client_quote(token)
    if quote is None:
        return _link_expired_page(request, "client")
    sort = "name" if request.GET.get("sort") == "name" else "price"
    rows = _rows(quote, sort)
    chosen = next((r for r in rows if r["reply"] and r["reply"].chosen_at), None)
    others_told = quote.others_told()
    return render(
        request,
        "quotes/compare.html",
        {
            "quote": quote,
            "token": token,
            "rows": rows,
            "sort": sort,
            "chosen": chosen,
            "done": request.GET.get("done", ""),
            "can_forward": quote.can_forward(),
            "others_told": others_told,
            # Closing would email someone: an artist neither chosen nor told already.
            "close_tells": len(rows) - (1 if chosen else 0) - others_told > 0,
            "own_photos": _own_photos(quote),
            "photos_left_out": quote.photos_left_out(),
        },
    )


def _own_photos(quote: QuoteRequest) -> list[str]:
    """The client's own photos, through the same signed links as the artists' (photo_path),
    made for the client's confirmation: they open while the request is the client's."""
    confirmation = (
        quote.deliveries.filter(kind=QuoteDelivery.Kind.CONFIRMATION).values_list("pk", flat=True)
    ).first()
    if confirmation is None:  # not sent on yet: the photos are still being made safe
        return []
    return [photo_path(photo.pk, confirmation) for photo in quote.photos.filter(sanitised=True)]


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request, token: str, action: str, reply_id: int | None = None):
    """Choose, close, forward or delete: GET says exactly who will be emailed and what
    will be erased; only the POST from that page does it."""
    quote = _client_quote(token)
    if quote is None:
        return _link_expired_page(request, "client")
    back = reverse("quotes:compare", args=[token])
    chosen = None
    if action == "choose":
        chosen = (
            QuoteReply.objects.select_related("delivery__clinic__city")
            .filter(pk=reply_id, delivery__quote=quote, declined=False)
            .first()
        )
        if chosen is None or not QuoteReply.is_open_for(quote):
            return redirect(back)
    elif action == "close" and quote.closed_at is not None:
        return redirect(back)
    elif action == "forward" and not quote.can_forward():
        return redirect(back)
    if request.method == "POST":
        if action == "delete":
            quote.erase()
            return redirect("quotes:erased")
        if action == "choose" and chosen is not None:
            # An unticked box is absent from the post: only a ticked one tells the others.
            quote.choose(chosen, tell_others=bool(request.POST.get("tell_others")))
        elif action == "close":
            quote.close()
        elif action == "forward":
            quote.forward()
        return redirect(f"{back}?done={action}")
    return render(
        request,
        f"quotes/decide_{action}.html",
        {"quote": quote, "back": back, **_consequences(quote, action, chosen)},
    )


def _consequences(quote: QuoteRequest, action: str, chosen: QuoteReply | None) -> dict:
    """Who will be emailed and what will be erased, for the confirmation page to say."""
    artists = [d.artist for d in quote.deliveries.filter(kind="artist").select_related("clinic")]
    if action == "choose" and chosen is not None:
        return {
            "chosen": chosen,
            "others": [c for c in artists if c.pk != chosen.delivery.clinic_id],
        }
    if action == "close":
        current = quote.chosen_reply()
        keep = current.delivery.clinic_id if current else None
        # Those told when the client chose are not emailed again.
        already = set(
            quote.deliveries.filter(kind=QuoteDelivery.Kind.CLOSED).values_list("clinic", flat=True)
        )
        return {
            "told": [c for c in artists if c.pk != keep and c.pk not in already],
            "current": current,
        }
    if action == "forward":
        return {"recipients": quote.forward_recipients()}
    return {
        "artists": artists,
        "photo_count": quote.photos.filter(unreadable=False).count(),
        "reply_count": QuoteReply.objects.filter(delivery__quote=quote).count(),
    }


class NewLinkForm(forms.Form):
    email = EmailAddressField(
        max_length=254,
        error_messages={
            "required": gettext_lazy("Please enter the email address you used for your request.")
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def new_link(request):
    """A fresh comparison link, sent only to the address the request was made with."""
    form = NewLinkForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        limited = ip_rate_limited(request, group="quotes-new-link", rate="5/h")
        # The page says the same either way: nobody learns who asked for quotes.
        ids = [] if limited else QuoteRequest.objects.for_address(form.cleaned_data["email"], 1)
        if ids:
            QuoteRequest.objects.get(pk=ids[0]).send_new_links()
        return redirect(reverse("quotes:new-link") + "?sent=1")
    return render(
        request,
        "quotes/link_expired.html",
        {"who": "client", "asked": True, "sent": request.GET.get("sent") == "1", "form": form},
        status=400 if form.is_bound else 200,
    )


@require_safe
def erased(request):
    response = render(request, "quotes/erased.html")
    response["X-Robots-Tag"] = "noindex"
    return response
