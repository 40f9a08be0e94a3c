"""Private, signed, expiring links: an artist's reply page and the client's comparison page.

No accounts: holding the link is the permission. Each link names one object (a
delivery, or a request) and is signed for one purpose, so a reply link cannot open
another clinic's reply or the client's page, and an edited link fails its signature.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

REPLY_SALT = "quotes.reply-link"
COMPARE_SALT = "quotes.compare-link"


def reply_path(delivery_id: int) -> str:
    return reverse("quotes:reply", args=[signing.dumps(delivery_id, salt=REPLY_SALT)])


def compare_path(quote_id: int) -> str:
    return reverse("quotes:compare", args=[signing.dumps(quote_id, salt=COMPARE_SALT)])


def delivery_id_from(token: str) -> int | None:
    return _load(token, REPLY_SALT, settings.QUOTE_REPLY_LINK_DAYS)


def quote_id_from(token: str) -> int | None:
    return _load(token, COMPARE_SALT, settings.QUOTE_COMPARE_LINK_DAYS)


def _load(token: str, salt: str, days: int) -> int | None:
    try:
        value = signing.loads(token, salt=salt, max_age=days * 24 * 3600)
    except signing.BadSignature:  # tampered or expired alike
        return None
    return value if isinstance(value, int) else None
