"""The public form where a clinic applies to be listed, and the page after it."""

import logging

from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from common.client_ip import client_ip_hash
from common.decorators import accepts_photos

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
        if ClinicApplication.objects.filter(form_nonce=form.submission_key()).exists():
            return redirect("applications:apply-sent")  # the same form posted again
        # Staff review every application anyway: a doubtful one is kept and marked.
        check = verdict.reason if verdict.needs_check else ""
        if request.over_rate_limit():
            check = "many applications from one connection"
        try:
            form.save_application(ip_hash=client_ip_hash(request), check_reason=check)
        except IntegrityError:
            if not ClinicApplication.objects.filter(form_nonce=form.submission_key()).exists():
                raise
            return redirect("applications:apply-sent")  # posted twice at once: the other one won
        else:
            return redirect("applications:apply-sent")
    return render(request, "applications/apply_form.html", {"form": form})


@require_safe
def apply_sent(request):
    response = render(request, "applications/apply_sent.html")
    response["X-Robots-Tag"] = "noindex"
    return response
