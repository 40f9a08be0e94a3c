"""The conversation pages: the client's (behind their comparison link) and the artist's
(behind its reply link, or in its clinic account). A GET only reads; writing and
reporting are POSTs that come back to the page (#messages)."""

from django.contrib import messages as notices
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.decorators import private_page
from common.private_files import private_file_response
from members.access import current_member, member_required
from quotes.links import compare_path, delivery_id_from, quote_id_from, reply_path
from quotes.models import QuoteDelivery, QuoteRequest

from .forms import ArtistMessageForm, ClientMessageForm
from .models import Conversation, Message, MessagePhoto, Refusal
from .writing import write

Side = Message.Side


def _expired(request, who: str):
    return render(request, "quotes/link_expired.html", {"who": who}, status=410)


def _artist_deliveries():
    return QuoteDelivery.objects.select_related("quote__city", "clinic__city").filter(
        kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False
    )


def _client_delivery(token: str, delivery_id: int) -> QuoteDelivery | None:
    quote_id = quote_id_from(token)
    if quote_id is None:
        return None
    quote = QuoteRequest.objects.real().filter(pk=quote_id).first()
    if quote is None:
        return None
    delivery = _artist_deliveries().filter(pk=delivery_id, quote=quote).first()
    if delivery is None:
        raise Http404
    return delivery


def _thread(request, delivery: QuoteDelivery, side: str, *, back_url: str, inbox: bool = False):
    """The page of one conversation, for either side, and what a POST to it does."""
    conversation = Conversation.objects.filter(delivery=delivery).first()
    form_class = ClientMessageForm if side == Side.CLIENT else ArtistMessageForm
    form = form_class(request.POST if request.method == "POST" else None)
    refusal = conversation.refusal() if conversation is not None else ""
    status = 200
    if form.is_bound:
        if form.is_valid():
            conversation = conversation or Conversation.objects.for_delivery(delivery)
            written = write(
                conversation,
                side,
                form.cleaned_data["body"],
                author=request.user if inbox else None,
                shares_contact=form.cleaned_data.get("share_contact", False),
            )
            if written.message is not None:
                notices.success(request, _("Sent. You’ll hear by email when there’s an answer."))
                return redirect(f"{request.path}#messages")
            refusal = written.refusal
            status = 429 if refusal == Refusal.RATE else 409
        else:
            status = 400
    contact = delivery.shows_client_contact()
    quote = delivery.quote
    # An artist reads the client's messages only while it may see the request at all:
    # once the client chose another artist or closed it, the thread goes with the rest.
    shown = conversation is not None and (side == Side.CLIENT or delivery.shows_client_data())
    thread = (
        list(conversation.messages.prefetch_related("photos"))
        if conversation is not None and shown
        else []
    )
    return render(
        request,
        "conversations/thread.html",
        {
            "side": side,
            "delivery": delivery,
            "quote": quote,
            "clinic": delivery.clinic,
            # Who the artist writes to: by first name until the client chooses it or
            # shares their details.
            "client_name": quote.name if contact else quote.first_name,
            "shows_contact": contact,
            "thread": thread,
            "withdrawn": conversation is not None and not shown,
            "form": form,
            "refusal": refusal,
            "open": not refusal and (side == Side.CLIENT or delivery.shows_client_data()),
            "back_url": back_url,
            "inbox": inbox,
            "member": getattr(request, "member", None),
            "account_section": "inbox",
        },
        status=status,
    )


def _photo(delivery: QuoteDelivery, side: str, photo_id: int):
    """A photo of the conversation: to its client, and to its artist while the artist may
    see the request (the client's photos are theirs to show only as long as needed)."""
    if side == Side.ARTIST and not delivery.shows_client_data():
        raise Http404
    photo = get_object_or_404(MessagePhoto, pk=photo_id, message__conversation__delivery=delivery)
    return private_file_response(photo.file, "image/jpeg")


def _report(request, delivery: QuoteDelivery, side: str, message_id: int):
    """Asked first (GET: the message and what reporting does), done on the POST."""
    message = get_object_or_404(
        Message, pk=message_id, conversation__delivery=delivery, side=_other(side)
    )
    if request.method != "POST":
        return render(
            request,
            "conversations/report.html",
            {
                "message": message,
                "back_url": request.path.rsplit("/report/", 1)[0] + "/#messages",
                "inbox": side == Side.ARTIST and hasattr(request, "member"),
                "member": getattr(request, "member", None),
                "account_section": "inbox",
            },
        )
    message.report(side)
    notices.success(
        request, _("Reported. Our staff will read this conversation and get back to you.")
    )
    return redirect(f"{request.path.rsplit('/report/', 1)[0]}/#messages")


def _other(side: str) -> str:
    return Side.ARTIST if side == Side.CLIENT else Side.CLIENT


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def client_thread(request, token: str, delivery_id: int):
    delivery = _client_delivery(token, delivery_id)
    if delivery is None:
        return _expired(request, "client")
    return _thread(request, delivery, Side.CLIENT, back_url=compare_path(delivery.quote_id))


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def client_report(request, token: str, delivery_id: int, message_id: int):
    delivery = _client_delivery(token, delivery_id)
    if delivery is None:
        return _expired(request, "client")
    return _report(request, delivery, Side.CLIENT, message_id)


def _reply_link_delivery(token: str) -> QuoteDelivery | None:
    delivery_id = delivery_id_from(token)
    if delivery_id is None:
        return None
    return (
        _artist_deliveries()
        .exclude(quote__status=QuoteRequest.Status.SPAM)
        .filter(pk=delivery_id)
        .first()
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def artist_thread(request, token: str):
    delivery = _reply_link_delivery(token)
    if delivery is None:
        return _expired(request, "artist")
    member = current_member(request)
    if member is not None and member.clinic_id == delivery.clinic_id:
        return redirect("conversations_inbox:thread", delivery_id=delivery.pk)
    if delivery.quote.status == QuoteRequest.Status.ERASED:
        return _expired(request, "artist")
    return _thread(request, delivery, Side.ARTIST, back_url=reply_path(delivery.pk))


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def artist_report(request, token: str, message_id: int):
    delivery = _reply_link_delivery(token)
    if delivery is None:
        return _expired(request, "artist")
    return _report(request, delivery, Side.ARTIST, message_id)


def _member_delivery(request, delivery_id: int) -> QuoteDelivery:
    return get_object_or_404(
        _artist_deliveries().exclude(
            quote__status__in=[QuoteRequest.Status.SPAM, QuoteRequest.Status.ERASED]
        ),
        pk=delivery_id,
        clinic_id=request.member.clinic_id,
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def inbox_thread(request, delivery_id: int):
    delivery = _member_delivery(request, delivery_id)
    return _thread(
        request,
        delivery,
        Side.ARTIST,
        back_url=reverse("inbox:request", args=[delivery.pk]),
        inbox=True,
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def inbox_report(request, delivery_id: int, message_id: int):
    delivery = _member_delivery(request, delivery_id)
    return _report(request, delivery, Side.ARTIST, message_id)


@private_page
@require_safe
def client_photo(request, token: str, delivery_id: int, photo_id: int):
    delivery = _client_delivery(token, delivery_id)
    if delivery is None:
        return _expired(request, "client")
    return _photo(delivery, Side.CLIENT, photo_id)


@private_page
@require_safe
def artist_photo(request, token: str, photo_id: int):
    delivery = _reply_link_delivery(token)
    if delivery is None:
        return _expired(request, "artist")
    return _photo(delivery, Side.ARTIST, photo_id)


@member_required
@require_safe
def inbox_photo(request, delivery_id: int, photo_id: int):
    return _photo(_member_delivery(request, delivery_id), Side.ARTIST, photo_id)
