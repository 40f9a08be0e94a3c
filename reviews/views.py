"""The review pages: the client's (write, see, withdraw), the clinic's reply page, the
public rules and the public photos of published reviews."""

import logging

from django.conf import settings
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from clinics.models import listed_q
from common.decorators import accepts_photos, private_page
from common.forms import STORAGE_ERRORS, storage_unavailable
from common.page_cache import cache_public_page
from common.private_files import private_file_response

from .forms import ReplyForm, ReviewForm, suggested_name
from .links import invite_from, manage_path, reply_from, review_from
from .models import ClinicReply, Review, ReviewInvite, ReviewPhoto

logger = logging.getLogger(__name__)

STALE_FORM = _("This form was open for a long time: please check your answers and send it again.")


def _problem(request, reason: str, **context):
    """A calm page, no form: why the link can't be used, and what the visitor can do."""
    return render(request, "reviews/link_problem.html", {"reason": reason, **context}, status=410)


def _invite_for(token: str) -> tuple[ReviewInvite | None, str]:
    value = invite_from(token)
    if value == "expired":
        return None, "expired"
    invite = (
        ReviewInvite.objects.select_related("clinic__city", "quote").filter(pk=value).first()
        if value is not None
        else None
    )
    if invite is None:
        return None, "invalid"
    if invite.withdrawn_at is not None:
        return invite, "withdrawn"
    if not invite.can_review():
        return invite, "used"
    if not invite.clinic.is_listed():
        return invite, "unlisted"
    return invite, ""


@private_page
@accepts_photos(rate_setting="QUOTE_RATE_LIMIT", group="reviews")
def write(request):
    """The invitation's page: the review form, once, for the clinic the client chose."""
    invite, problem = _invite_for(request.GET.get("key", ""))
    if problem or invite is None:
        return _problem(request, problem or "invalid", invite=invite)
    if request.method != "POST":
        form = ReviewForm(
            invite=invite, initial={"display_name": suggested_name(invite.quote.name)}
        )
        return render(request, "reviews/write.html", {"form": form, "invite": invite})
    form = ReviewForm(
        request.POST, request.FILES, refused_files=request.refused_photos, invite=invite
    )
    if form.is_valid() and form.spam_verdict().is_bot:
        # Behind a signed link a "bot" is a person whose page sat open past the form
        # token's life: ask them to send it again rather than drop their words.
        form.add_error(None, STALE_FORM)
    if form.is_valid():
        try:
            review = form.save_review()
        except IntegrityError:  # sent twice at once: the other post made the review
            review = Review.objects.filter(invite=invite).first()
            if review is None:
                raise
        except STORAGE_ERRORS:  # nothing stored: the form again, saying so
            return storage_unavailable(
                form,
                lambda: render(request, "reviews/write.html", {"form": form, "invite": invite}),
            )
        return redirect(manage_path(review.pk))
    return render(request, "reviews/write.html", {"form": form, "invite": invite})


def _own_review(request) -> Review | None:
    review_id = review_from(request.GET.get("key", ""))
    if review_id is None:
        return None
    return (
        Review.objects.select_related("clinic__city", "invite", "reply")
        .prefetch_related("photos")
        .filter(pk=review_id)
        .first()
    )


@private_page
@require_safe
def yours(request):
    """The client's own review: its state, what the public sees, and how to withdraw it."""
    review = _own_review(request)
    if review is None:
        return _problem(request, "gone")
    return render(
        request, "reviews/yours.html", {"review": review, "key": request.GET.get("key", "")}
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request):
    """Asks first (a page that works without JavaScript); the POST withdraws it."""
    review = _own_review(request)
    if review is None:
        return _problem(request, "gone")
    if request.method == "POST":
        review.withdraw()
        return redirect("reviews:withdrawn")
    return render(request, "reviews/withdraw.html", {"review": review})


@require_safe
def withdrawn(request):
    response = render(request, "reviews/withdrawn.html")
    response["X-Robots-Tag"] = "noindex"
    return response


def _clinic_address(review_id: int) -> str:
    review = Review.objects.select_related("clinic").filter(pk=review_id).first()
    return review.clinic.quote_email if review else ""


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request):
    """The clinic's page for one published review: read it, answer it once, publicly."""
    value = reply_from(request.GET.get("key", ""), _clinic_address)
    if value == "expired" or value is None:
        return _problem(request, "reply-expired" if value == "expired" else "invalid")
    review = (
        Review.objects.published()
        .select_related("clinic__city", "invite")
        .filter(listed_q("clinic__"), pk=value)
        .first()
    )
    if review is None:
        return _problem(request, "reply-gone")
    existing = ClinicReply.objects.filter(review=review).first()
    may_reply = existing is None or existing.status == ClinicReply.Status.REJECTED
    form = ReplyForm(request.POST or None) if may_reply else None
    if request.method == "POST" and form is not None and form.is_valid():
        if form.spam_verdict().is_bot:
            form.add_error(None, STALE_FORM)
        else:
            ClinicReply.objects.filter(review=review, status=ClinicReply.Status.REJECTED).delete()
            ClinicReply.objects.get_or_create(
                review=review, defaults={"text": form.cleaned_data["text"]}
            )
            return redirect(request.get_full_path())
    return render(
        request, "reviews/reply.html", {"review": review, "existing": existing, "form": form}
    )


@require_safe
@cache_public_page
def rules(request):
    return render(
        request,
        "reviews/rules.html",
        {
            "reasons": Review.Rejection.choices,
            "price_match_minimum": settings.REVIEW_PRICE_MATCH_MIN_ANSWERS,
        },
    )


@require_safe
def photo(request, pk: int, size: str = "full"):
    """A review photo: for everyone once public (published, consented, not held back as a
    possible copy), for signed-in staff always (they moderate it)."""
    found = ReviewPhoto.objects.select_related("review").filter(pk=pk, sanitised=True).first()
    staff = request.user.is_authenticated and request.user.is_staff
    if found is None or not (staff or found.is_public_for(found.review)):
        raise Http404("No such photo.")
    file = found.thumbnail if size == "thumb" and found.thumbnail else found.file
    response = private_file_response(file, "image/jpeg")
    if not staff:
        # Public now, but it may be withdrawn: browsers keep it a few minutes at most.
        response["Cache-Control"] = "public, max-age=300"
    return response


def photo_url(photo: ReviewPhoto, size: str = "full") -> str:
    if size == "thumb":
        return reverse("reviews:photo-thumb", args=[photo.pk])
    return reverse("reviews:photo", args=[photo.pk])
