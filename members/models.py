"""Clinic members (who may run a clinic's listing and requests) and how they sign in.

A member is a Django user tied to one clinic with a role. Members sign in with a link
emailed to them (`SignInLink`): single use, short-lived, never stored in a form that
opens anything (the emailed token is a signature of the row's id; the row says whether
it was used and until when it works). Staff are users too, but sign in through the
admin with two factors; nothing here makes anyone staff.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from clinics.models import Artist, Clinic
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet


def normalise_email(address: str) -> str:
    """One spelling per address: the whole address in lower case, trimmed.

    Mailbox names are case-sensitive in theory and never in practice; a member who
    types "Ana@Studio.example" is the member invited as "ana@studio.example".
    """
    return address.strip().lower()


class ClinicMemberQuerySet(models.QuerySet):
    def active(self):
        """Memberships that may be used now: the clinic is approved (not suspended or
        still pending) and the user is active."""
        return self.filter(clinic__status=Clinic.Status.APPROVED, user__is_active=True)


class ClinicMember(models.Model):
    """A person who runs a clinic's side of the site.

    Removing the row ends their access at their next request (members/access.py checks
    the row on every page), whatever their session cookie says.
    """

    class Role(models.TextChoices):
        # Everything, members included.
        OWNER = "owner", pgettext_lazy("a clinic member's role", "Owner")
        # Their requests, their own photos and bio.
        ARTIST = "artist", pgettext_lazy("a clinic member's role", "Artist")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_memberships"
    )
    role = models.CharField(max_length=8, choices=Role, default=Role.ARTIST)
    # Which of the listing's artists this member is (an artist member's own bio and photos).
    artist = models.ForeignKey(
        Artist, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClinicMemberQuerySet.as_manager()

    class Meta:
        ordering = ["clinic__name", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "user"], name="members_one_row_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.get_role_display()} of {self.clinic.name})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class SignInLinkQuerySet(models.QuerySet):
    def recent_for(self, email: str):
        """Links asked for this address in the last hour (the per-address limit)."""
        return self.filter(
            email=normalise_email(email), created_at__gte=timezone.now() - timedelta(hours=1)
        )


class SignInLink(models.Model):
    """One emailed link that signs a person in, once.

    - `sign_in`: an existing member asked for it on the sign-in form.
    - `invitation`: staff (or an approved application) made `email` a member of `clinic`
      with `role` (members/signin.py `invite`); the link signs them in the first time.
    - `claim`: the address is a listed clinic's quote email and that clinic has no owner
      yet: using it makes the person its owner.
    """

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", "Sign-in"
        INVITATION = "invitation", "Invitation"
        CLAIM = "claim", "First sign-in of a clinic's quote address"

    purpose = models.CharField(max_length=12, choices=Purpose)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=8, choices=ClinicMember.Role, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "created_at"], name="signinlink_email_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="sign_in", user__isnull=False)
                | Q(purpose="invitation", user__isnull=False, clinic__isnull=False)
                | Q(purpose="claim", clinic__isnull=False),
                name="members_link_names_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.email}"

    @classmethod
    def lifetime(cls, purpose: str) -> timedelta:
        """A sign-in link works for minutes; an invitation for days (people are away)."""
        if purpose == cls.Purpose.INVITATION:
            return timedelta(days=settings.MEMBER_INVITATION_DAYS)
        return timedelta(minutes=settings.MEMBER_SIGN_IN_LINK_MINUTES)

    @classmethod
    def issue(cls, purpose: str, email: str, *, send: bool = True, **fields) -> "SignInLink":
        """Make a link and, with `send`, its email (sent once the transaction commits)."""
        link = cls.objects.create(
            purpose=purpose,
            email=normalise_email(email),
            expires_at=timezone.now() + cls.lifetime(purpose),
            **fields,
        )
        if send:
            MemberEmail.objects.create(link=link, kind=purpose, to_email=link.email).enqueue()
        return link

    def is_usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at


class Invitation(SignInLink):
    """Invitations only: staff's list of them in admin (members/admin.py)."""

    class Meta:
        proxy = True


MemberEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class MemberEmail(OutgoingEmail):
    """The email carrying a sign-in link (one per link)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Sign-in link"
        INVITATION = "invitation", "Invitation to a clinic"
        CLAIM = "claim", "First sign-in for a clinic"

    link = models.ForeignKey(SignInLink, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = ("link__clinic__city", "link__user", "link__invited_by")
    objects = MemberEmailManager()

    def reader_language(self) -> str:
        """The clinic's; for a sign-in link, which names none, the clinic it opens."""
        clinic = self.link.clinic
        if clinic is None and self.link.user_id is not None:
            membership = (
                ClinicMember.objects.active()
                .filter(user_id=self.link.user_id)
                .select_related("clinic")
                .first()
            )
            clinic = membership.clinic if membership is not None else None
        return clinic.language if clinic is not None else super().reader_language()

    class Meta(OutgoingEmail.Meta):
        constraints = [
            # One email per link: asking again makes a new link, never a second email.
            models.UniqueConstraint(fields=["link", "kind"], name="members_one_email_per_link"),
        ]
