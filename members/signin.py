"""What asking for a sign-in link and using one do (the views only call these).

Asking never says whether an address belongs to anyone: the same page follows whatever
was typed. A link is used once, inside one transaction that locks its row, so two
clicks (or a mail scanner and a person) cannot both sign in with it.
"""

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinics.models import Clinic

from .models import ClinicMember, SignInLink, normalise_email

if TYPE_CHECKING:
    from django.contrib.auth.models import User
else:
    User = get_user_model()


class SignInRefused(Exception):
    """A link that was valid but cannot sign its holder in now (the message says why)."""


def _unowned_clinics(email: str):
    """Approved clinics whose requests go to this address and that have no owner yet."""
    owned = ClinicMember.objects.filter(role=ClinicMember.Role.OWNER).values("clinic")
    return (
        Clinic.objects.filter(status=Clinic.Status.APPROVED, quote_email__iexact=email)
        .exclude(pk__in=owned)
        .order_by("pk")
    )


def ask_for_link(email: str) -> SignInLink | None:
    """Email a sign-in link to this address if it may have one; None if it may not.

    - A member of an approved clinic gets a sign-in link.
    - Otherwise, an address that is an approved clinic's quote email, for a clinic with
      no owner yet, gets a link that makes it the owner (existing clinics' first sign-in).
    Staff accounts never sign in here: they have the admin and its second factor.
    """
    email = normalise_email(email)
    user = (
        User.objects.filter(
            email__iexact=email,
            is_active=True,
            is_staff=False,
            clinic_memberships__clinic__status=Clinic.Status.APPROVED,
        )
        .distinct()
        .first()
    )
    if user is not None:
        return SignInLink.issue(SignInLink.Purpose.SIGN_IN, email, user=user)
    if User.objects.filter(email__iexact=email, is_staff=True).exists():
        return None
    clinic = _unowned_clinics(email).first()
    if clinic is not None:
        return SignInLink.issue(
            SignInLink.Purpose.CLAIM, email, clinic=clinic, role=ClinicMember.Role.OWNER
        )
    return None


def invite(clinic: Clinic, email: str, role: str, by=None, *, send: bool = True) -> SignInLink:
    """Make `email` a member of `clinic` with `role`, and give them a link that signs
    them in, working for MEMBER_INVITATION_DAYS.

    The membership exists from now on, so once the link has run out the person asks for
    a sign-in link with their address like any member. With send=False the link gets no
    email of its own: the caller's email carries it (an application's approval).
    Raises SignInRefused for a staff account's address.
    """
    with transaction.atomic():
        user = _user_for(normalise_email(email))
        membership, created = ClinicMember.objects.get_or_create(
            clinic=clinic, user=user, defaults={"role": role}
        )
        if not created and role == ClinicMember.Role.OWNER and not membership.is_owner:
            membership.role = ClinicMember.Role.OWNER
            membership.save(update_fields=["role"])
        return SignInLink.issue(
            SignInLink.Purpose.INVITATION,
            email,
            send=send,
            clinic=clinic,
            user=user,
            role=role,
            invited_by=by,
        )


def _user_for(email: str):
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=f"member-{uuid.uuid4().hex[:24]}", email=email)
        user.set_unusable_password()
        user.save()
    if user.is_staff:
        raise SignInRefused(
            _(
                "This address belongs to a staff account, which signs in through the staff "
                "admin. Use another address for the clinic account."
            )
        )
    if not user.is_active:
        raise SignInRefused(_("This account is switched off. Please contact us."))
    return user


def use_link(link_id: int) -> tuple["User", Clinic]:
    """Use a link once: (the user to sign in, the clinic to open).

    Raises SignInRefused when the link was used or has expired, or when what it
    leads to is gone (the clinic suspended, the membership removed).
    """
    with transaction.atomic():
        link = (
            SignInLink.objects.select_for_update(of=("self",))
            .select_related("clinic", "user")
            .filter(pk=link_id)
            .first()
        )
        if link is None or not link.is_usable():
            raise SignInRefused(_("This sign-in link was already used or has expired."))
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])

        if link.purpose == SignInLink.Purpose.SIGN_IN:
            user = link.user
            if user is None or not user.is_active or user.is_staff:
                raise SignInRefused(
                    _("This account can no longer sign in here. Please contact us.")
                )
            membership = ClinicMember.objects.active().filter(user=user).first()
            if membership is None:
                raise SignInRefused(_ENDED)
            return user, membership.clinic

        clinic = link.clinic
        assert clinic is not None  # the table's check constraint
        if clinic.status != Clinic.Status.APPROVED:
            raise SignInRefused(_ENDED)
        user = _user_for(link.email)
        if link.purpose == SignInLink.Purpose.INVITATION:
            # Made when the invitation was: gone means staff removed the person since.
            if not ClinicMember.objects.filter(clinic=clinic, user=user).exists():
                raise SignInRefused(
                    _("This invitation was withdrawn. If that is a mistake, please contact us.")
                )
            return user, clinic
        # A claim: the quote address becomes the owner, unless someone else is by now.
        has_owner = ClinicMember.objects.filter(
            clinic=clinic, role=ClinicMember.Role.OWNER
        ).exclude(user=user)
        if has_owner.exists():
            raise SignInRefused(
                _("%(clinic)s has an owner on the site now. Ask them to invite you.")
                % {"clinic": clinic.name}
            )
        membership, created = ClinicMember.objects.get_or_create(
            clinic=clinic, user=user, defaults={"role": ClinicMember.Role.OWNER}
        )
        if not created and not membership.is_owner:
            membership.role = ClinicMember.Role.OWNER
            membership.save(update_fields=["role"])
        return user, clinic


_ENDED = gettext_lazy(
    "This clinic's account is closed for now (the listing is suspended or no longer on "
    "the site), so nobody can sign in to it. Please contact us."
)
