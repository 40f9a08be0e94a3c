"""Pages behind private links: an artist's reply page and the client's comparison page.

Never cached, never indexed, no third-party requests, and no Referer leaves them (the
link in the address bar is the key). An expired, edited or erased link gets a calm page
that says how to get a new one. A GET only reads: every change is a POST.
"""

import logging
from functools import wraps

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from smp_site.decorators import ip_rate_limited

from .links import delivery_id_from, photo_path, quote_id_from
from .models import QuoteDelivery, QuoteReply, QuoteRequest, ReplyLocked
from .reply_forms import ReplyForm

logger = logging.getLogger(__name__)


def private_page(view):
    """Headers for pages whose address is a secret."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # Same-origin, not no-referrer: the link never leaves the site in a Referer, yet
        # the browser still sends an Origin for the page's own forms (CSRF needs it).
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapper)


def _calm(request, who: str, status: int = 410):
    return render(request, "quotes/link_expired.html", {"who": who}, status=status)


def _artist_delivery(token: str) -> QuoteDelivery | None:
    delivery_id = delivery_id_from(token)
    if delivery_id is None:
        return None
    return (
        QuoteDelivery.objects.select_related("quote__city", "clinic")
        .filter(pk=delivery_id, kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False)
        .exclude(quote__status=QuoteRequest.Status.SPAM)
        .first()
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, token: str):
    delivery = _artist_delivery(token)
    if delivery is None:
        return _calm(request, "artist")
    quote = delivery.quote
    existing = QuoteReply.objects.filter(delivery=delivery).first()
    locked = not QuoteReply.is_open_for(quote)
    form = ReplyForm(
        request.POST if request.method == "POST" and not locked else None,
        instance=existing,
        currency=delivery.artist.currency,
    )
    if form.is_bound and form.is_valid():
        try:
            QuoteReply.objects.save_answer(delivery, form.cleaned_data)
        except ReplyLocked:
            locked = True
        else:
            return redirect(f"{request.path}?saved=1")
    photos = [photo_path(photo.pk) for photo in quote.photos.filter(sanitised=True)]
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
            "photos": photos,
            "saved": request.GET.get("saved") == "1",
        },
    )


def _rows(quote: QuoteRequest, sort: str) -> list[dict]:
    """One row per artist the request went to: replied, declined or not yet."""
    deliveries = (
        quote.deliveries.filter(kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False)
        .select_related("clinic__city", "reply")
        .order_by("clinic__name")
    )
    rows = []
    for delivery in deliveries:
        reply = getattr(delivery, "reply", None)
        state = "waiting" if reply is None else ("declined" if reply.declined else "replied")
        rows.append({"clinic": delivery.clinic, "reply": reply, "state": state})
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


def _chosen_reply(request, quote: QuoteRequest) -> QuoteReply | None:
    reply_id = request.POST.get("reply", "")
    if not reply_id.isdigit():
        return None
    return (
        QuoteReply.objects.select_related("delivery__clinic")
        .filter(pk=reply_id, delivery__quote=quote, declined=False)
        .first()
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def compare(request, token: str):
    quote = _client_quote(token)
    if quote is None:
        return _calm(request, "client")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            quote.erase()
            return redirect("quotes:erased")
        if action == "forward":
            quote.forward()
            return redirect(f"{request.path}?done=forwarded")
        if action == "close":
            quote.close()
            return redirect(f"{request.path}?done=closed")
        if action == "choose":
            chosen = _chosen_reply(request, quote)
            if chosen is not None and quote.choose(chosen):
                return redirect(f"{request.path}?done=chosen")
        return redirect(request.path)

    sort = "name" if request.GET.get("sort") == "name" else "price"
    rows = _rows(quote, sort)
    return render(
        request,
        "quotes/compare.html",
        {
            "quote": quote,
            "rows": rows,
            "sort": sort,
            "chosen": next((r for r in rows if r["reply"] and r["reply"].chosen_at), None),
            "done": request.GET.get("done", ""),
            "can_forward": quote.can_forward(),
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def new_link(request):
    """A fresh comparison link, sent only to the address the request was made with."""
    email = request.POST.get("email", "").strip()[:254] if request.method == "POST" else ""
    if request.method == "POST" and email and "@" in email:
        limited = ip_rate_limited(request, group="quotes-new-link", rate="5/h")
        # The page says the same either way: nobody learns who asked for quotes.
        ids = [] if limited else QuoteRequest.objects.for_address(email, limit=1)
        if ids:
            QuoteRequest.objects.get(pk=ids[0]).send_new_links()
        return redirect(reverse("quotes:new-link") + "?sent=1")
    error = "Please enter the email address you used for your request." if request.POST else ""
    return render(
        request,
        "quotes/link_expired.html",
        {"who": "client", "asked": True, "sent": request.GET.get("sent") == "1", "error": error},
        status=400 if error else 200,
    )


@require_safe
def erased(request):
    response = render(request, "quotes/erased.html")
    response["X-Robots-Tag"] = "noindex"
    return response
