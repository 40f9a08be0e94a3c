"""Reviews only from real clients: invitations, reviews, their photos, the clinic's reply.

Only a client who chose a clinic through a quote request is invited (ReviewInvite, made by
reviews/invites.py from chosen requests), once the treatment has healed and again a year
on; each invitation's signed link can make one Review. Staff publish it or reject it with
a reason from a published list (Review.Rejection, shown at /reviews/rules/); nothing else
takes a published review off the site but the client, who may withdraw it from their own
link, or erase their request with it. The clinic sees a review only once it is published
and may answer it once, publicly, through a link of its own (ClinicReply).
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Avg, Count, FloatField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, recommended_score, staff_member
from common.page_cache import content_changed
from common.private_files import private_storage
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet
from quotes.models import QuoteRequest


def review_photo_path(instance, filename: str) -> str:
    """A generated name in private storage: public only through the site's own view."""
    return f"reviews/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


def _stars(help_text: str = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=help_text
    )


class ReviewInvite(models.Model):
    """An invitation to review the clinic a client chose: one per request and stage."""

    class Stage(models.TextChoices):
        HEALED = "healed", "Once the treatment has healed"
        HELD_UP = "held_up", "A year on: how has it held up?"

    # PROTECT: deleting a request in admin must not take a review with it; erasing it does
    # (QuoteRequest.erase sends request_erased, reviews/signals.py listens).
    quote = models.ForeignKey(QuoteRequest, on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="review_invites")
    stage = models.CharField(max_length=8, choices=Stage)
    # Copied from the request, which the retention rule erases after a year: what the
    # review page says ("asked for a quote here in March 2027") and what was quoted.
    asked_at = models.DateTimeField()
    chosen_at = models.DateTimeField()
    quoted_price = models.CharField(max_length=80, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    # The client's address, for the invitations only: blanked once the last one's link
    # has run out (reviews/invites.py forget_addresses).
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The client withdrew the review this invitation made: no form again, no follow-up.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "stage"], name="reviews_invite_one_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.clinic.name} ({self.quote_id})"

    @property
    def is_follow_up(self) -> bool:
        return self.stage == self.Stage.HELD_UP

    def can_review(self) -> bool:
        """May this invitation's link still make a review? Not once it made one, nor after
        the client withdrew it. (A client who erases the request erases its invitations;
        the retention rule's erasure leaves them standing. The link's age is checked when
        it is opened.)"""
        return self.withdrawn_at is None and not Review.objects.filter(invite=self).exists()


# The later stage wins: a year on, the client's word on how it held up is their latest.
_STAGE_ORDER = {ReviewInvite.Stage.HEALED: 0, ReviewInvite.Stage.HELD_UP: 1}


def review_figures(counted) -> dict:
    """The average, the count, each sub-rating's average, the count per star and per
    price-match answer of these reviews (each client's counted one), in one query."""
    stars = {f"s{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)}
    prices = {
        f"p_{choice}": Count("pk", filter=Q(price_match=choice))
        for choice in Review.PriceMatch.values
    }
    figures = counted.aggregate(
        average=Avg("rating"),
        n=Count("pk"),
        result=Avg("result_rating"),
        communication=Avg("communication_rating"),
        value=Avg("value_rating"),
        **stars,
        **prices,
    )
    # JSON-ready: a database may answer an average as a Decimal.
    return {k: float(v) if v is not None and k in AVERAGES else v for k, v in figures.items()}


AVERAGES = ("average", "result", "communication", "value")


class ReviewQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED)

    def counted(self):
        """The reviews averages are made of: each client's latest published one."""
        return self.published().filter(counts_in_rating=True)

    def refresh_rating(self, clinic_id: int) -> None:
        """Store a clinic's rating, from its published reviews only, on Clinic.

        Clinic.rating_average and rating_count are what cards, city pages (sort and
        filter) and the profile's JSON-LD read, so the clinics app never imports reviews
        (as quotes/stats.py does for reply figures). Each client counts once: of their
        published reviews (after healing, a year on), the latest. Called whenever a
        review is published, rejected, withdrawn or erased.
        """
        latest: dict[int, tuple] = {}
        rows = (
            Review.objects.published()
            .filter(clinic_id=clinic_id)
            .values_list("pk", "invite__quote_id", "invite__stage", "published_at")
        )
        for pk, quote_id, stage, published_at in rows:
            rank = (_STAGE_ORDER[stage], published_at, pk)
            if quote_id not in latest or rank > latest[quote_id]:
                latest[quote_id] = rank
        counted = [rank[2] for rank in latest.values()]
        Review.objects.filter(clinic_id=clinic_id).exclude(pk__in=counted).update(
            counts_in_rating=False
        )
        Review.objects.filter(pk__in=counted).update(counts_in_rating=True)
        figures = review_figures(Review.objects.filter(pk__in=counted))
        average = round(figures.pop("average"), 2) if figures["n"] else None
        Clinic.objects.filter(pk=clinic_id).update(
            rating_average=average,
            rating_count=figures["n"],
            # What the profile's reviews block shows, read with the row (no query there).
            review_figures=figures if figures["n"] else {},
            # The "Recommended" order weighs the reviews: stored with them.
            recommended_score=recommended_score(
                rating_average=Value(average, output_field=FloatField()),
                rating_count=Value(figures["n"]),
            ),
        )
        content_changed()  # update() sends no signal: make cached cards and profiles stale


class Review(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"

    class Rejection(models.TextChoices):
        """The only reasons a review is not published: the list /reviews/rules/ shows."""

        PERSONAL_DATA = (
            "personal_data",
            _(
                "It gives someone’s personal details: a full name, a phone number, an "
                "address, health details of anyone but the writer, or a photo of a face "
                "shown without consent."
            ),
        )
        OFF_TOPIC = (
            "off_topic",
            _(
                "It is not about the writer’s own treatment or the service they had: an "
                "advertisement, a general opinion about SMP, or something else entirely."
            ),
        )
        ABUSIVE = (
            "abusive",
            _("It is abusive, threatening, hateful or obscene, or accuses someone of a crime."),
        )
        NOT_THIS_CLINIC = (
            "not_this_clinic",
            _("It is about another clinic or artist than the one the writer chose here."),
        )

    class PriceMatch(models.TextChoices):
        YES = "yes", _("Yes, it matched the quote")
        HIGHER = "higher", _("No, I paid more than quoted")
        LOWER = "lower", _("No, I paid less than quoted")

    invite = models.OneToOneField(ReviewInvite, on_delete=models.CASCADE, related_name="review")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="reviews")
    rating = _stars()
    result_rating = _stars()
    communication_rating = _stars()
    value_rating = _stars()
    price_match = models.CharField(max_length=8, choices=PriceMatch, blank=True)
    final_price = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    text = models.TextField(max_length=3000)
    display_name = models.CharField(max_length=60)
    photo_consent_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    rejection_reason = models.CharField(max_length=16, choices=Rejection, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = staff_member()
    submitted_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Among a client's published reviews (after healing, a year on), the latest counts
    # in the clinic's average and count; ReviewQuerySet.refresh_rating keeps it up to date.
    counts_in_rating = models.BooleanField(default=False, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # A rejected review always names its published reason; nothing else has one.
            models.CheckConstraint(
                condition=(Q(status="rejected") & ~Q(rejection_reason=""))
                | (~Q(status="rejected") & Q(rejection_reason="")),
                name="reviews_review_rejected_with_reason",
                violation_error_message="A review is rejected only with a reason from the list.",
            ),
        ]
        indexes = [
            # The profile: a clinic's published reviews, newest first.
            models.Index(fields=["clinic", "status", "-published_at"], name="review_clinic_pub"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ for {self.clinic.name} by {self.display_name}"

    def get_absolute_url(self) -> str:
        return f"{self.clinic.get_absolute_url()}#review-{self.pk}"

    @property
    def asked_at(self):
        return self.invite.asked_at

    @property
    def is_follow_up(self) -> bool:
        return self.invite.stage == ReviewInvite.Stage.HELD_UP

    def publish(self, user) -> bool:
        """Staff approve: the review goes public and the clinic may reply. False if it was
        already decided (published or rejected): one decision, one set of emails."""
        with transaction.atomic():
            now = timezone.now()
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.PENDING)
                .update(
                    status=self.Status.PUBLISHED,
                    published_at=now,
                    moderated_at=now,
                    moderated_by=user,
                )
            )
            if not claimed:
                return False
            self.refresh_from_db()
            self._email(ReviewEmail.Kind.PUBLISHED, self.invite.email or self._client_address())
            if self.clinic.quote_email:
                self._email(ReviewEmail.Kind.CLINIC, self.clinic.quote_email)
            Review.objects.refresh_rating(self.clinic_id)
        return True

    def reject(self, user, reason: str) -> bool:
        """Staff refuse it, or take a published one down, for one of the published reasons
        (anything else raises). False if it was already rejected."""
        if reason not in self.Rejection.values:
            raise ValueError(f"{reason!r} is not a published reason for rejecting a review")
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk)
                .exclude(status=self.Status.REJECTED)
                .update(
                    status=self.Status.REJECTED,
                    rejection_reason=reason,
                    moderated_at=timezone.now(),
                    moderated_by=user,
                )
            )
            if not claimed:
                return False
            self.refresh_from_db()
            self._email(ReviewEmail.Kind.REJECTED, self.invite.email or self._client_address())
            Review.objects.refresh_rating(self.clinic_id)
        return True

    def withdraw(self) -> None:
        """The client takes it back: the review, its photos and the clinic's reply go.

        The invitation stays, marked, so its link shows no form again and no follow-up
        asks a client who withdrew.
        """
        with transaction.atomic():
            ReviewInvite.objects.filter(pk=self.invite_id).update(withdrawn_at=timezone.now())
            clinic_id = self.clinic_id
            for photo in self.photos.all():
                photo.delete()  # the post_delete signal removes the files after the commit
            self.delete()
            Review.objects.refresh_rating(clinic_id)

    def _client_address(self) -> str:
        """The address the invitation went to (the invite's copy may have been blanked)."""
        email = self.invite.emails.filter(kind=ReviewEmail.Kind.INVITE).first()
        return email.to_email if email else ""

    def _email(self, kind: str, address: str) -> None:
        if not address:
            return
        ReviewEmail.objects.bulk_create(
            [ReviewEmail(invite=self.invite, review=self, kind=kind, to_email=address)],
            ignore_conflicts=True,
        )
        ReviewEmail.objects.filter(review=self, kind=kind).enqueue()

    def public_photos(self) -> list["ReviewPhoto"]:
        """Of a prefetched `photos`: those the public may see."""
        return [photo for photo in self.photos.all() if photo.is_public_for(self)]


class ReviewPhotoQuerySet(models.QuerySet):
    def awaiting_staff(self):
        return self.filter(match_found_at__isnull=False, match_cleared_at__isnull=True)


class ReviewPhoto(models.Model):
    """A client's healed photo with their review: sanitised, then public only with the
    client's consent, the review published, and no possible copy waiting for staff."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to=review_photo_path)
    thumbnail = models.FileField(storage=private_storage, upload_to=review_photo_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumb_width = models.PositiveIntegerField(null=True, blank=True)
    thumb_height = models.PositiveIntegerField(null=True, blank=True)
    sanitised = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=256, blank=True, editable=False)
    match_found_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_details = models.TextField(blank=True, editable=False)
    match_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_cleared_by = staff_member()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of review {self.review_id}"

    def is_public_for(self, review: Review) -> bool:
        return (
            review.status == Review.Status.PUBLISHED
            and review.photo_consent_at is not None
            and self.sanitised
            and bool(self.fingerprint)
            and (
                self.match_found_at is None
                or self.match_cleared_at is not None
                or (review.published_at is not None and self.match_found_at > review.published_at)
            )
        )


class ClinicReplyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ClinicReply.Status.PUBLISHED)


class ClinicReply(models.Model):
    """The clinic's one public answer to a published review, moderated like reviews."""

    Status = Review.Status
    Rejection = Review.Rejection

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Review.Status, default=Review.Status.PENDING)
    rejection_reason = models.CharField(max_length=16, choices=Review.Rejection, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = staff_member()
    submitted_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ClinicReplyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "clinic replies"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Reply by {self.review.clinic.name} to review {self.review_id}"

    def publish(self, user) -> bool:
        now = timezone.now()
        return bool(
            type(self)
            .objects.filter(pk=self.pk, status=Review.Status.PENDING)
            .update(
                status=Review.Status.PUBLISHED,
                published_at=now,
                moderated_at=now,
                moderated_by=user,
            )
        )

    def reject(self, user, reason: str) -> bool:
        if reason not in Review.Rejection.values:
            raise ValueError(f"{reason!r} is not a published reason for rejecting a reply")
        return bool(
            type(self)
            .objects.filter(pk=self.pk, status=Review.Status.PENDING)
            .update(
                status=Review.Status.REJECTED,
                rejection_reason=reason,
                moderated_at=timezone.now(),
                moderated_by=user,
            )
        )


ReviewEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class ReviewEmail(OutgoingEmail):
    """An email about a review: invitations and decisions to the client, and the clinic's
    notice (with its reply link) once a review of it is published."""

    class Kind(models.TextChoices):
        INVITE = "invite", "Invitation to review, to the client"
        RECEIVED = "received", "Review received, to the client"
        PUBLISHED = "published", "Review published, to the client"
        REJECTED = "rejected", "Review not published, to the client"
        CLINIC = "clinic", "A review was published, to the clinic"

    invite = models.ForeignKey(ReviewInvite, on_delete=models.CASCADE, related_name="emails")
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = ("invite__clinic__city", "invite__quote", "review__clinic__city")
    objects = ReviewEmailManager()

    def reader_language(self) -> str:
        if self.kind == self.Kind.CLINIC:
            return self.invite.clinic.language
        # The client's: the one they asked for quotes in.
        return self.invite.quote.language

    class Meta(OutgoingEmail.Meta):
        constraints = [
            # Each email about an invitation goes once (a rerun of the job finds it there).
            models.UniqueConstraint(
                fields=["invite", "kind"], name="reviews_email_once_per_invite"
            ),
        ]
