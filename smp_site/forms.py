"""Form parts shared by the public forms that take photos: quotes and clinic applications.

A multi-file photo field, the photo-count and photo-content checks with their messages, and
the spam checks (a honeypot and a signed token that records when the form was shown).
"""

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing

from .photos import PhotoInfo, PhotoRejected, display_name, inspect_upload

# The value predates the move out of quotes/: kept, so forms shown before a deploy still work.
FORM_TOKEN_SALT = "quotes.form-token"


def new_form_token() -> str:
    """A signed, one-time value: when the form was shown, and a nonce against resubmission."""
    return signing.dumps({"n": uuid.uuid4().hex, "t": time.time()}, salt=FORM_TOKEN_SALT)


def token_payload(data) -> dict | None:
    """The signed token's content from posted data, or None if it is missing or forged."""
    try:
        return signing.loads(
            data.get("form_token", ""),
            salt=FORM_TOKEN_SALT,
            max_age=settings.QUOTE_FORM_MAX_AGE,
        )
    except signing.BadSignature:
        return None


def spam_reason(data) -> str:
    """Why a posted form looks like a bot's ("" if it doesn't): honeypot, token, fill time."""
    if data.get("website"):
        return "honeypot"
    payload = token_payload(data)
    if payload is None:
        return "bad token"
    if time.time() - payload.get("t", 0) < settings.QUOTE_MIN_FILL_SECONDS:
        return "too fast"
    return ""


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png", "multiple": True}),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        return list(data) if isinstance(data, (list, tuple)) else ([data] if data else [])

    def validate(self, value):
        pass  # counted and checked one by one by check_photos()

    def run_validators(self, value):
        pass


def check_photos(photos, refused_files, *, none_message: str) -> list[tuple[object, PhotoInfo]]:
    """Count and inspect uploaded photos; every problem becomes its own message.

    `refused_files` are the names PhotoSizeCapHandler dropped while streaming.
    """
    errors = [PhotoRejected("too_large", display_name(name)).args[0] for name in refused_files]
    count = len(photos) + len(refused_files)
    if count == 0:
        raise forms.ValidationError(none_message)
    if count > settings.QUOTE_MAX_PHOTOS:
        raise forms.ValidationError(
            f"Please choose at most {settings.QUOTE_MAX_PHOTOS} photos (you chose {count})."
        )
    infos = []
    for upload in photos:
        try:
            infos.append((upload, inspect_upload(upload)))
        except PhotoRejected as exc:
            errors.append(str(exc))
    if errors:
        raise forms.ValidationError(errors)
    return infos
