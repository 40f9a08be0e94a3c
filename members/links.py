"""The emailed sign-in link: a signature of the SignInLink row's id.

Holding the link is the permission, once: the row records its use and its end, so a
link used, expired or replaced opens nothing, and an edited one fails its signature.
Logs never hold it (common/logs.py redacts anything shaped like a signed value).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "members.sign-in-link"


def link_path(link_id: int) -> str:
    return reverse("members:use-link", args=[signing.dumps(link_id, salt=SALT)])


def absolute_link(link_id: int) -> str:
    return settings.SITE_URL + link_path(link_id)


def link_id_from(token: str) -> int | None:
    # The row's own expiry decides; the signature's age only stops a link kept for years.
    max_age = settings.MEMBER_INVITATION_DAYS * 24 * 3600
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
