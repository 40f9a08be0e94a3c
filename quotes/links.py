"""Every private, signed, expiring link of the quotes app: an artist's reply page, the
client's comparison page, and a client's photo.

No accounts: holding the link is the permission. Each link names one object (a
delivery, a request or a photo) and is signed for one purpose, so a reply link cannot
open another clinic's reply or the client's page, and an edited link fails its signature.
These paths are secrets: logs must never hold them.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

REPLY_SALT = "quotes.reply-link"
COMPARE_SALT = "quotes.compare-link"
PHOTO_SALT = "quotes.photo-link"
THANKS_SALT = "quotes.thanks-link"


def reply_path(delivery_id: int) -> str:
    return reverse("quotes:reply", args=[signing.dumps(delivery_id, salt=REPLY_SALT)])


def compare_path(quote_id: int) -> str:
    return reverse("quotes:compare", args=[signing.dumps(quote_id, salt=COMPARE_SALT)])


def photo_path(photo_id: int, delivery_id: int | None) -> str:
    """A photo, for the artist of one delivery (access is checked when it opens), or for
    staff (delivery_id None: opens only for a signed-in staff member)."""
    token = signing.dumps([photo_id, delivery_id or 0], salt=PHOTO_SALT)
    return reverse("quotes:photo", args=[token])


def thanks_path(quote_id: int) -> str:
    """The page after sending a request: it shows the client's address and private link,
    so it is signed and short-lived, not reachable from the public reference."""
    return reverse("quotes:request-sent", args=[signing.dumps(quote_id, salt=THANKS_SALT)])


def absolute(path: str) -> str:
    """A path as a full link for an email."""
    return settings.SITE_URL + path


def delivery_id_from(token: str) -> int | None:
    return _load(token, REPLY_SALT, settings.QUOTE_REPLY_LINK_DAYS * 24 * 3600)


def quote_id_from(token: str) -> int | None:
    return _load(token, COMPARE_SALT, settings.QUOTE_COMPARE_LINK_DAYS * 24 * 3600)


def photo_ids_from(token: str) -> tuple[int, int | None] | None:
    """(photo id, delivery id or None for staff) from a photo link, or None."""
    try:
        value = signing.loads(
            token, salt=PHOTO_SALT, max_age=settings.QUOTE_PHOTO_LINK_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        return None
    return value[0], value[1] or None


def quote_id_from_thanks(token: str) -> int | None:
    return _load(token, THANKS_SALT, settings.QUOTE_THANKS_LINK_HOURS * 3600)


def _load(token: str, salt: str, max_age: int) -> int | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # tampered or expired alike
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
