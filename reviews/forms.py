"""The client's review form and the clinic's reply form (both behind signed links)."""

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import (
    PhotosField,
    PhotoUploadForm,
    SpamCheckedForm,
    files_removed_on_error,
    save_upload,
)

from .models import Review, ReviewEmail, ReviewInvite, ReviewPhoto
from .photos import enqueue_sanitising

if TYPE_CHECKING:  # a development-only package: the type of a lazy label
    from django_stubs_ext import StrOrPromise

STARS = [
    (5, _("5 stars: excellent")),
    (4, _("4 stars: good")),
    (3, _("3 stars: all right")),
    (2, _("2 stars: poor")),
    (1, _("1 star: very poor")),
]


def _stars(label: "StrOrPromise") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose from 1 to 5 stars.")},
    )


def suggested_name(full_name: str) -> str:
    """First name and initial, the default name shown: "Sam Client" gives "Sam C."."""
    parts = full_name.split()
    if not parts:
        return ""
    return f"{parts[0]} {parts[-1][0].upper()}." if len(parts) > 1 else parts[0]


class ReviewForm(PhotoUploadForm):
    rating = _stars(_("Overall"))
    result_rating = _stars(_("The result"))
    communication_rating = _stars(_("Communication"))
    value_rating = _stars(_("Value for money"))
    price_match = forms.ChoiceField(
        label=_("Did the price match the quote?"),
        choices=[*Review.PriceMatch.choices, ("", _("I’d rather not say"))],
        widget=forms.RadioSelect,
        required=False,
    )
    final_price = forms.IntegerField(
        label=_("What you paid in the end"),  # form_field.html adds "(optional)"
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("For the whole treatment. Shown with your review."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = forms.CharField(
        label=_("Your review"),
        min_length=40,
        max_length=3000,
        help_text=_(
            "How it went, how it looks now, what others should know. At least 40 "
            "characters. Please leave out names and contact details."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    display_name = forms.CharField(
        label=_("Name shown with your review"),
        max_length=60,
        help_text=_("Your first name and initial, unless you change it."),
    )
    photos = PhotosField(
        label=_("Photos of your healed result (optional)"),
        help_text=_(
            "Up to 3 photos (JPG, PNG or HEIC), 15 MB each. We remove hidden "
            "information such as where they were taken."
        ),
    )
    photo_consent = forms.BooleanField(
        label=_("Publish my photos with my review on this site."),
        required=False,
    )
    truthful = forms.BooleanField(
        label=_("This is my own experience as a client, and I have no other link to the clinic."),
        error_messages={"required": _("Please confirm this is your own experience as a client.")},
    )
    photos_required = False
    max_photos = settings.REVIEW_MAX_PHOTOS

    def __init__(self, *args, invite: ReviewInvite, **kwargs):
        super().__init__(*args, **kwargs)
        self.invite = invite
        if invite.currency:
            self.fields["final_price"].label = gettext(
                "What you paid in the end, in %(currency)s"
            ) % {"currency": invite.currency}

    def clean(self):
        data = super().clean()
        if self.photo_infos and not data.get("photo_consent"):
            self.add_error(
                "photo_consent",
                gettext(
                    "Tick this box to let us publish your photos, or remove them: we publish "
                    "photos only with your consent."
                ),
            )
        return data

    @transaction.atomic
    def save_review(self) -> Review:
        """The review and its photos (private until sanitised, moderated and consented),
        the client's receipt, and the sanitising task, or nothing at all."""
        data = self.cleaned_data
        storage = ReviewPhoto._meta.get_field("file").storage
        with files_removed_on_error(storage) as stored:
            review = Review.objects.create(
                invite=self.invite,
                clinic=self.invite.clinic,
                rating=data["rating"],
                result_rating=data["result_rating"],
                communication_rating=data["communication_rating"],
                value_rating=data["value_rating"],
                price_match=data["price_match"],
                final_price=data["final_price"],
                currency=self.invite.currency,
                text=data["text"].strip(),
                display_name=data["display_name"].strip(),
                photo_consent_at=timezone.now() if self.photo_infos else None,
            )
            for upload, _info in self.photo_infos:
                photo = ReviewPhoto(review=review)
                upload.seek(0)
                save_upload(photo.file, "upload.jpg", upload, stored)
                photo.save()
            review._email(ReviewEmail.Kind.RECEIVED, self.invite.email or review._client_address())
            if self.photo_infos:
                enqueue_sanitising(review.pk)
        return review


class ReplyForm(SpamCheckedForm):
    text = forms.CharField(
        label=_("Your public reply"),
        min_length=10,
        max_length=2000,
        help_text=_(
            "Shown under the review once our staff have checked it. One reply per review. "
            "Please don’t name the client or share anything they told you privately."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class RejectionForm(forms.Form):
    """Staff's choice of a published reason: there is no other way to reject."""

    reason = forms.ChoiceField(
        label="Reason (from the published rules, sent to the writer)",
        choices=Review.Rejection.choices,
        widget=forms.RadioSelect,
    )
