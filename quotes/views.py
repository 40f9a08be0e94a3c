"""The quick-quote form, its thanks page, and the signed photo links artists open."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clinics.models import Clinic
from clinics.views import profile_context
from common.client_ip import client_ip_hash
from common.decorators import accepts_photos, address_rate_limited, private_page
from common.forms import STORAGE_ERRORS, storage_unavailable
from common.languages import current_language
from common.private_files import private_file_response

from .forms import QuoteForm
from .links import compare_path, photo_ids_from, quote_id_from_thanks, thanks_path
from .models import QuoteDelivery, QuotePhoto, QuoteRequest
from .pipeline import ADDRESS_LIMIT_HOLD, DAILY_LIMIT_HOLD, RATE_LIMIT_HOLD, accept_request

logger = logging.getLogger(__name__)


def _store_spam(form: QuoteForm, reason: str, ip_hash: str) -> None:
    """Keep a trace for staff (no photos, no emails), so false positives can be found."""
    data = form.data
    QuoteRequest.objects.create(
        name=str(data.get("name", ""))[:120],
        email=str(data.get("email", ""))[:254],
        message=str(data.get("message", ""))[:2000],
        status=QuoteRequest.Status.SPAM,
        spam_reason=reason,
        ip_hash=ip_hash,
    )
    logger.info("Quote form submission stored as spam (%s)", reason)


def _initial_clinic(request) -> Clinic | None:
    value = request.GET.get("clinic", "")
    if not value.isdigit():
        return None
    return Clinic.objects.listed().select_related("city").filter(pk=value).first()


def _over_daily_limit(ip_hash: str) -> bool:
    """Far more real requests than any household or office sends in a day.

    Spam traces don't count: a bot behind a shared address (an office, a mobile network)
    must not use up the allowance of the real people behind it.
    """
    since = timezone.now() - timedelta(days=1)
    recent = (
        QuoteRequest.objects.exclude(status=QuoteRequest.Status.SPAM)
        .filter(ip_hash=ip_hash, created_at__gte=since)
        .count()
    )
    return recent >= settings.QUOTE_DAILY_LIMIT


def _show_form_again(request, form: QuoteForm):
    """A form with errors comes back where it was sent from: the profile, or /quote/."""
    if form.for_clinic is not None:
        context = profile_context(request, form.for_clinic)
        return render(request, "clinics/clinic_detail.html", {**context, "form": form})
    return render(request, "quotes/request_form.html", {"form": form})


@accepts_photos(rate_setting="QUOTE_RATE_LIMIT", group="quotes")
def request_quote(request):
    if request.method != "POST":
        form = QuoteForm(
            clinic=_initial_clinic(request), initial={"city": request.GET.get("city", "")}
        )
        return render(request, "quotes/request_form.html", {"form": form})

    form = QuoteForm(request.POST, request.FILES, refused_files=request.refused_photos)
    ip_hash = client_ip_hash(request)
    verdict = form.spam_verdict()
    if verdict.is_bot:
        # Only a certain bot gets a plain "thank you" with nothing behind it.
        _store_spam(form, verdict.reason, ip_hash)
        return redirect("quotes:request-received")
    if not form.is_valid():
        return _show_form_again(request, form)
    existing = QuoteRequest.objects.filter(form_nonce=form.submission_key()).first()
    if existing:
        return redirect(thanks_path(existing.pk))
    hold = verdict.reason if verdict.needs_check else ""
    over_client_limit = request.over_rate_limit()
    if address_rate_limited(request, form.cleaned_data["email"]):
        # Many requests naming one address (from anywhere): it may be a stranger's, so
        # nothing goes to it, or to the artists, until staff have looked.
        hold = ADDRESS_LIMIT_HOLD
    elif over_client_limit:
        # Never dropped: held (for staff, past the daily limit), and the thanks page says so.
        hold = DAILY_LIMIT_HOLD if _over_daily_limit(ip_hash) else RATE_LIMIT_HOLD
    # The client's emails are written in the language they asked in.
    form.instance.language = current_language()
    try:
        quote = accept_request(form, ip_hash=ip_hash, hold=hold)
    except IntegrityError:
        # The same form posted twice at once: the other post made the request.
        quote = get_object_or_404(QuoteRequest, form_nonce=form.submission_key())
    except STORAGE_ERRORS:
        # A full disk or a bucket out of reach: nothing was stored, nothing sent.
        return storage_unavailable(form, lambda: _show_form_again(request, form))
    return redirect(thanks_path(quote.pk))


@private_page
@require_safe
def request_sent(request, token: str):
    """The thanks page: what happens next, the address used and the private page's link."""
    quote_id = quote_id_from_thanks(token)
    quote = (
        QuoteRequest.objects.real().select_related("city", "clinic").filter(pk=quote_id).first()
        if quote_id
        else None
    )
    if quote is None:
        response = render(request, "quotes/request_sent_expired.html", status=410)
    else:
        response = render(
            request,
            "quotes/request_sent.html",
            {
                "quote": quote,
                "held": quote.status == QuoteRequest.Status.HELD,
                "artists": _artists_for(quote),
                "compare_url": compare_path(quote.pk),
                "hold_minutes": settings.QUOTE_HOLD_MINUTES,
            },
        )
    return response


def _artists_for(quote: QuoteRequest) -> list[Clinic]:
    """Who got the request, or (before the worker has sent it) who will."""
    if quote.status == QuoteRequest.Status.DISPATCHED:
        return [d.artist for d in quote.deliveries.filter(kind="artist").select_related("clinic")]
    return quote.recipients()


@require_safe
def request_received(request):
    response = render(request, "quotes/request_received.html")
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def photo(request, token: str):
    """A client's photo, for the artist it was sent to while they need it, for the client
    on their comparison page, or for staff.

    The link names the delivery it was made for, so access is checked when it is opened:
    once the client closed the request or chose another artist, or the clinic was
    suspended, the link stops working. Never cached or indexed.
    """
    ids = photo_ids_from(token)
    if ids is None:
        raise Http404("This photo link is not valid or has expired.")
    photo_id, delivery_id = ids
    photo = QuotePhoto.objects.filter(pk=photo_id, sanitised=True).first()
    if photo is None or not _may_open(request, photo, delivery_id):
        raise Http404("This photo is no longer available.")
    return private_file_response(photo.file, "image/jpeg")


def _may_open(request, photo: QuotePhoto, delivery_id: int | None) -> bool:
    if delivery_id is None:
        return request.user.is_authenticated and request.user.is_staff
    delivery = (
        QuoteDelivery.objects.select_related("quote", "clinic")
        .filter(pk=delivery_id, quote_id=photo.quote_id)
        .first()
    )
    if delivery is None:
        return False
    if delivery.kind == QuoteDelivery.Kind.CONFIRMATION:
        # The client's own photo, on their comparison page: theirs until they erase it.
        return delivery.quote.status == QuoteRequest.Status.DISPATCHED
    return delivery.shows_client_data()
