"""The private links of reviews, each signed for one purpose and naming one object.

- the client's invitation (write a review), valid REVIEW_LINK_DAYS;
- the client's own review (see it, withdraw it): valid while the review exists, so
  the client can always take it back, with no account;
- the clinic's reply link, valid REVIEW_REPLY_LINK_DAYS and only while the clinic keeps
  the address it was sent to.

Keys travel in the query string (`/reviews/write/?key=…`), never in the path: Django's
request log writes the path of every refused request but not its query (as in
training/links.py), so a mistyped or expired link leaves no secret in the logs.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

INVITE_SALT = "reviews.invite-link"
MANAGE_SALT = "reviews.manage-link"
REPLY_SALT = "reviews.reply-link"


def _with_key(name: str, token: str) -> str:
    return f"{reverse(name)}?{urlencode({'key': token})}"


def write_path(invite_id: int) -> str:
    return _with_key("reviews:write", signing.dumps(invite_id, salt=INVITE_SALT))


def manage_path(review_id: int) -> str:
    return _with_key("reviews:yours", signing.dumps(review_id, salt=MANAGE_SALT))


def withdraw_path(review_id: int) -> str:
    return _with_key("reviews:withdraw", signing.dumps(review_id, salt=MANAGE_SALT))


def _digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def reply_path(review_id: int, clinic_address: str) -> str:
    token = signing.dumps({"r": review_id, "o": _digest(clinic_address)}, salt=REPLY_SALT)
    return _with_key("reviews:reply", token)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _load(token: str, salt: str, max_age: int | None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        return None


def _id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def invite_from(token: str) -> int | str | None:
    """The invitation's id, "expired" for a genuine link past its days, None if forged."""
    value = _load(token, INVITE_SALT, settings.REVIEW_LINK_DAYS * 24 * 3600)
    return value if value == "expired" else _id(value)


def review_from(token: str) -> int | None:
    return _id(_load(token, MANAGE_SALT, None))


def reply_from(token: str, clinic_address_for) -> int | str | None:
    """The review id of a clinic's reply link, "expired", or None (forged, or the clinic
    no longer has the address it was sent to: `clinic_address_for(review_id)` says)."""
    value = _load(token, REPLY_SALT, settings.REVIEW_REPLY_LINK_DAYS * 24 * 3600)
    if value == "expired":
        return value
    if not isinstance(value, dict) or _id(value.get("r")) is None:
        return None
    address = clinic_address_for(value["r"])
    if not address or _digest(address) != value.get("o"):
        return None
    return value["r"]
