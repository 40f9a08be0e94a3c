"""The public form where a clinic applies to be listed, and the page after it."""

import logging

from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from common.client_ip import client_ip_hash
from common.decorators import ADDRESS_LIMIT_REASON, accepts_photos, address_rate_limited
from common.forms import STORAGE_ERRORS, storage_unavailable
from common.languages import current_language

from .intake import ClinicApplicationForm
from .models import ClinicApplication

logger = logging.getLogger(__name__)


@accepts_photos(rate_setting="CLINIC_APPLICATION_RATE_LIMIT", group="clinic-applications")
def apply(request):
    if request.method != "POST":
        return render(request, "applications/apply_form.html", {"form": ClinicApplicationForm()})
    form = ClinicApplicationForm(request.POST, request.FILES, refused_files=request.refused_photos)
    # Only a certain bot's post is answered like a success and stored nowhere.
    verdict = form.spam_verdict()
    if verdict.is_bot:
        logger.info("Clinic application dropped as spam (%s)", verdict.reason)
        return redirect("applications:apply-sent")
    if form.is_valid():
        earlier = ClinicApplication.objects.filter(form_nonce=form.submission_key()).first()
        if earlier is not None:
            return _apply_sent(earlier)  # the same form posted again: answered as before
        # Staff review every application anyway: a doubtful one is kept and marked; past
        # a limit its contact address gets no receipt (it may be a stranger's).
        check = verdict.reason if verdict.needs_check else ""
        over_client_limit = request.over_rate_limit()
        over_address_limit = address_rate_limited(request, form.cleaned_data["contact_email"])
        if over_client_limit:
            check = "many applications from one connection"
        elif over_address_limit:
            check = ADDRESS_LIMIT_REASON
        # The clinic's emails, from the receipt on, are in the language it applied in (its
        # owners may choose another in the account).
        form.instance.language = current_language()
        try:
            application = form.save_application(
                ip_hash=client_ip_hash(request),
                check_reason=check,
                receipt_withheld=over_client_limit or over_address_limit,
            )
        except IntegrityError:
            earlier = ClinicApplication.objects.filter(form_nonce=form.submission_key()).first()
            if earlier is None:
                raise
            return _apply_sent(earlier)  # posted twice at once: the other one won
        except STORAGE_ERRORS:  # nothing stored: the form again, saying so
            return storage_unavailable(
                form, lambda: render(request, "applications/apply_form.html", {"form": form})
            )
        return _apply_sent(application)
    return render(request, "applications/apply_form.html", {"form": form})


def _apply_sent(application: ClinicApplication):
    """The thanks page, saying whether a receipt goes to the contact address."""
    url = reverse("applications:apply-sent")
    return redirect(url + "?receipt=withheld" if application.receipt_withheld else url)


@require_safe
def apply_sent(request):
    withheld = request.GET.get("receipt") == "withheld"
    response = render(request, "applications/apply_sent.html", {"receipt_withheld": withheld})
    response["X-Robots-Tag"] = "noindex"
    return response
