"""The organiser's private link: mark a class's seats taken, without an account.

Holding the link is the permission. It names one class and the organiser address it was
sent to, and is signed for this purpose only: an edited link fails its signature, an old
one expires after TRAINING_SEAT_LINK_DAYS, and once staff give the event another organiser
address the links sent to the old one stop working.

The token travels in the query string (`/training/seats/?key=…`), never in the path:
Django's request log (django.request) writes the path of every 4xx answer but not its query,
so a refused, expired or mistyped link leaves no secret in the logs.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

SEATS_SALT = "training.seats-link"


def _address_digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def seats_path(class_id: int, organiser_address: str) -> str:
    token = signing.dumps(
        {"c": class_id, "o": _address_digest(organiser_address)}, salt=SEATS_SALT, compress=True
    )
    return f"{reverse('training:seats')}?{urlencode({'key': token})}"


def absolute(path: str) -> str:
    """A path as a full link for an email."""
    return settings.SITE_URL + path


def seats_link_from(token: str) -> tuple[int, str] | None:
    """(class id, organiser address digest) from a valid, unexpired token, else None."""
    try:
        value = signing.loads(
            token, salt=SEATS_SALT, max_age=settings.TRAINING_SEAT_LINK_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # tampered or expired alike
        return None
    if not isinstance(value, dict):
        return None
    class_id, digest = value.get("c"), value.get("o")
    if not isinstance(class_id, int) or isinstance(class_id, bool) or not isinstance(digest, str):
        return None
    return class_id, digest


def matches_organiser(digest: str, organiser_address: str) -> bool:
    return bool(organiser_address) and digest == _address_digest(organiser_address)
