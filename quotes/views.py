import logging

from django.conf import settings
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from clinics.models import Clinic
from smp_site.client_ip import client_ip_hash
from smp_site.forms import spam_reason
from smp_site.uploads import PhotoSizeCapHandler

from .emails import photo_id_from_token
from .forms import QuoteForm
from .models import QuotePhoto, QuoteRequest
from .pipeline import accept_request

logger = logging.getLogger(__name__)


def _rate_limited(request) -> bool:
    rate = settings.QUOTE_RATE_LIMIT
    if not rate or rate == "0":
        return False
    return is_ratelimited(request, group="quotes", key="ip", rate=rate, increment=True)


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


@csrf_exempt
def request_quote(request):
    # The size cap must be in place before anything reads the body, CSRF included,
    # so CSRF is checked inside, once the handler is installed.
    request.upload_handlers.insert(0, PhotoSizeCapHandler(request))
    return _request_quote(request)


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def _request_quote(request):
    if request.method == "POST":
        refused = request.upload_handlers[0].refused
        form = QuoteForm(request.POST, request.FILES, refused_files=refused)
        ip_hash = client_ip_hash(request)
        reason = spam_reason(form.data)
        if reason:
            _store_spam(form, reason, ip_hash)
            return redirect("quotes:request-received")
        if form.is_valid():
            existing = QuoteRequest.objects.filter(form_nonce=form.submission_key()).first()
            if existing:
                return redirect(existing)
            if _rate_limited(request):
                _store_spam(form, "rate limit", ip_hash)
                return redirect("quotes:request-received")
            try:
                quote = accept_request(form, ip_hash=ip_hash)
            except IntegrityError:
                # The same form posted twice at once: the other post made the request.
                quote = get_object_or_404(QuoteRequest, form_nonce=form.submission_key())
            return redirect(quote)
    else:
        form = QuoteForm(
            clinic=_initial_clinic(request), initial={"city": request.GET.get("city", "")}
        )
    return render(request, "quotes/request_form.html", {"form": form})


@require_safe
def request_sent(request, reference: str):
    quote = get_object_or_404(
        QuoteRequest.objects.select_related("city", "clinic").exclude(
            status=QuoteRequest.Status.SPAM
        ),
        reference=reference,
    )
    response = render(request, "quotes/request_sent.html", {"quote": quote})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def request_received(request):
    response = render(request, "quotes/request_received.html")
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def photo(request, token: str):
    """A client's photo, for a holder of a signed, unexpired link. Never cached or indexed."""
    photo_id = photo_id_from_token(token)
    if photo_id is None:
        raise Http404("This photo link is not valid or has expired.")
    photo = QuotePhoto.objects.filter(pk=photo_id, sanitised=True).first()
    if photo is None:
        raise Http404("This photo is no longer available.")
    storage = photo.file.storage
    if getattr(settings, "QUOTE_PHOTOS_REDIRECT", False):
        response = HttpResponseRedirect(storage.url(photo.file.name))
    else:
        response = FileResponse(storage.open(photo.file.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
