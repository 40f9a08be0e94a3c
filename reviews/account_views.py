"""A clinic's reviews in its account: every published review with the clinic's reply,
replying under the same moderation as the emailed reply link (reviews/views.py), and how
many reviews wait for moderation. A review not published yet (or refused under the
rules) is not shown to the clinic: it may hold what the rules keep off the site."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinics.models import listed_q
from members.access import member_required

from .forms import ReplyForm
from .models import ClinicReply, Review


class AccountReplyForm(forms.Form):
    """The reply form's text, without the public forms' spam fields: the member is signed in."""

    text = ReplyForm.base_fields["text"]


@member_required
@require_http_methods(["GET", "HEAD"])
def reviews(request):
    member = request.member
    published = list(
        Review.objects.published()
        .filter(clinic=member.clinic)
        .select_related("invite", "reply")
        .order_by("-published_at")
    )
    return render(
        request,
        "reviews/account_list.html",
        {
            "member": member,
            "reviews": published,
            "waiting": Review.objects.filter(
                clinic=member.clinic, status=Review.Status.PENDING
            ).count(),
            "form": AccountReplyForm(),
            "account_section": "reviews",
        },
    )


@member_required(owner=True)
@require_POST
def reply(request, review_id: int):
    member = request.member
    review = get_object_or_404(
        Review.objects.published().filter(listed_q("clinic__")),
        pk=review_id,
        clinic=member.clinic,
    )
    existing = ClinicReply.objects.filter(review=review).first()
    if existing is not None and existing.status != ClinicReply.Status.REJECTED:
        messages.info(request, _("This review has your reply already: one reply per review."))
        return redirect("reviews_account:list")
    form = AccountReplyForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reviews/account_reply_error.html",
            {"member": member, "review": review, "form": form, "account_section": "reviews"},
            status=400,
        )
    ClinicReply.objects.filter(review=review, status=ClinicReply.Status.REJECTED).delete()
    ClinicReply.objects.get_or_create(review=review, defaults={"text": form.cleaned_data["text"]})
    messages.success(request, _("Thank you: our staff will check your reply and publish it."))
    return redirect("reviews_account:list")
