"""Pages behind private links: an artist's reply page and the client's comparison page.

Never cached, never indexed, no third-party requests, and no Referer leaves them (the
link in the address bar is the key). An expired, edited or erased link gets a calm page
that says how to get a new one.
"""

import logging
from functools import wraps

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from . import replies
from .emails import signed_photo_path
from .links import delivery_id_from, quote_id_from
from .models import QuoteDelivery, QuoteReply, QuoteRequest
from .reply_forms import ReplyForm
from .tasks import send_new_links

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


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, token: str):
    delivery_id = delivery_id_from(token)
    delivery = (
        QuoteDelivery.objects.select_related("quote__city", "clinic")
        .filter(pk=delivery_id, kind=QuoteDelivery.Kind.ARTIST, clinic__isnull=False)
        .exclude(quote__status=QuoteRequest.Status.SPAM)
        .first()
        if delivery_id
        else None
    )
    if delivery is None:
        return _calm(request, "artist")
    existing = QuoteReply.objects.filter(delivery=delivery).first()
    locked = delivery.quote.closed_at is not None or (
        existing is not None and existing.seen_by_client_at is not None
    )
    form = ReplyForm(
        request.POST if request.method == "POST" and not locked else None,
        instance=existing,
        currency=delivery.clinic.currency,
    )
    if form.is_bound and form.is_valid():
        try:
            replies.save_reply(delivery, form.cleaned_data)
        except replies.ReplyLocked:
            locked = True
        else:
            return redirect(f"{request.path}?saved=1")
    photos = [signed_photo_path(photo) for photo in delivery.quote.photos.filter(sanitised=True)]
    return render(
        request,
        "quotes/reply.html",
        {
            "delivery": delivery,
            "quote": delivery.quote,
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


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def compare(request, token: str):
    quote_id = quote_id_from(token)
    quote = (
        QuoteRequest.objects.select_related("city", "clinic")
        .exclude(status=QuoteRequest.Status.SPAM)
        .filter(pk=quote_id)
        .first()
        if quote_id
        else None
    )
    if quote is None:
        return _calm(request, "client")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            replies.erase(quote)
            return redirect("quotes:erased")
        if action == "forward":
            replies.forward(quote)
            return redirect(f"{request.path}?done=forwarded")
        if action == "close":
            replies.close(quote)
            return redirect(f"{request.path}?done=closed")
        if action == "choose":
            chosen = (
                QuoteReply.objects.select_related("delivery__clinic")
                .filter(
                    pk=request.POST.get("reply") if request.POST.get("reply", "").isdigit() else 0,
                    delivery__quote=quote,
                    declined=False,
                )
                .first()
            )
            if chosen is not None and quote.closed_at is None:
                replies.choose(quote, chosen)
                return redirect(f"{request.path}?done=chosen")
        return redirect(request.path)

    sort = "name" if request.GET.get("sort") == "name" else "price"
    rows = _rows(quote, sort)
    if request.method == "GET":  # a link checker's HEAD is no client reading the replies
        replies.mark_seen([row["reply"] for row in rows if row["reply"] is not None])
    return render(
        request,
        "quotes/compare.html",
        {
            "quote": quote,
            "rows": rows,
            "sort": sort,
            "chosen": next((r for r in rows if r["reply"] and r["reply"].chosen_at), None),
            "done": request.GET.get("done", ""),
            "can_forward": replies.can_forward(quote),
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def new_link(request):
    """A fresh comparison link, sent only to the address the request was made with."""
    email = request.POST.get("email", "").strip()[:254] if request.method == "POST" else ""
    if request.method == "POST" and email and "@" in email:
        limited = is_ratelimited(
            request, group="quotes-new-link", key="ip", rate="5/h", increment=True
        )
        quote_ids = [] if limited else replies.requests_for_address(email)
        if quote_ids:  # the page says the same either way: nobody learns who asked for quotes
            try:
                send_new_links.delay(quote_ids)
            except Exception:  # Redis down: the client can ask again; never a 500
                logger.warning("Could not enqueue new comparison links")
        return redirect(reverse("quotes:new-link") + "?sent=1")
    error = "Please enter the email address you used for your request." if request.POST else ""
    return render(
        request,
        "quotes/link_expired.html",
        {"who": "client", "asked": True, "sent": request.GET.get("sent") == "1", "error": error},
        status=400 if error else 200,
    )


def erased(request):
    response = render(request, "quotes/erased.html")
    response["X-Robots-Tag"] = "noindex"
    return response
