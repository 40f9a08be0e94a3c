"""The emails carrying sign-in links: what each kind of MemberEmail says.

The link is signed when the email is built (members/links.py), so no table holds a
working link; every attempt of one row carries a link to the same SignInLink.
"""

from django.conf import settings
from django.utils import timezone

from outbox.kinds import EmailContent, email_kind

from .links import absolute_link
from .models import MemberEmail

Kind = MemberEmail.Kind


def _context(email: MemberEmail) -> dict:
    link = email.link
    return {
        "link": link,
        "clinic": link.clinic,
        "sign_in_url": absolute_link(link.pk),
        "expires_at": timezone.localtime(link.expires_at),
        "minutes": settings.MEMBER_SIGN_IN_LINK_MINUTES,
        "days": settings.MEMBER_INVITATION_DAYS,
        "owner": link.role == "owner",
    }


@email_kind(MemberEmail, Kind.SIGN_IN, template="members/email/sign_in")
def sign_in(email: MemberEmail) -> EmailContent:
    return EmailContent(_context(email))


@email_kind(MemberEmail, Kind.INVITATION, template="members/email/invitation")
def invitation(email: MemberEmail) -> EmailContent:
    return EmailContent(_context(email))


@email_kind(MemberEmail, Kind.CLAIM, template="members/email/claim")
def claim(email: MemberEmail) -> EmailContent:
    return EmailContent(_context(email))
