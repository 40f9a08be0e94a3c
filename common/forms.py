"""Form parts shared by the public forms: the spam checks every anonymous form makes, and
the photo handling of the forms that take photos (quote requests, clinic applications).

- SpamCheckedForm: a honeypot and a signed token that records when the form was shown
  and carries a one-time nonce (a form token makes at most one submission: see
  submission_key()). Its verdict tells certain bots (a forged token, a hidden field
  filled with something no browser's autofill writes) from submissions that may be a
  real person's (sent very fast, an autofilled hidden field): those are kept and held
  for a check, never thrown away behind a fake "thank you".
- PhotoUploadForm: the photo field, its count and content checks with their messages,
  and clean-up of stored files when the transaction that stores them rolls back.
Each form keeps its own fields; these bases hold only what the forms share.
"""

import hashlib
import logging
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django import forms
from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.forms.renderers import Jinja2
from django.http import HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .photos import PhotoInfo, PhotoRejected, display_name, inspect_upload
from .validators import validate_plain_email

logger = logging.getLogger(__name__)

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
            max_age=settings.FORM_MAX_AGE,
        )
    except signing.BadSignature:
        return None


# Control characters have no place in a name, an address or a message; tab and line
# breaks do (in a message).
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
CONTROL_CHARACTER_MESSAGE = _("Please remove the invisible control characters from this field.")
# What a browser or password manager's autofill writes into a field it mistakes for its
# own: the person's email address or phone number. Bots write links and sales copy.
_AUTOFILL_LIKE = re.compile(r"^([^@\s]+@[^@\s]+\.[^@\s]+|[+()\d][\d ()+.-]{5,})$")

# The honeypot: a field people never see. Its name and attributes keep autofill out of it.
HONEYPOT_FIELD = "leave_blank"


class EmailAddressField(forms.EmailField):
    """The email field of every form: one address that every mail system reads as that
    one address (common/validators.py). ModelForms name it in Meta.field_classes."""

    default_validators = [validate_plain_email]


class SpamVerdict:
    """What a public form's spam checks found: clean, hold for a check, or a certain bot."""

    CLEAN = "clean"
    HOLD = "hold"
    BOT = "bot"

    def __init__(self, kind: str, reason: str = ""):
        self.kind, self.reason = kind, reason

    @property
    def is_bot(self) -> bool:
        return self.kind == self.BOT

    @property
    def needs_check(self) -> bool:
        return self.kind == self.HOLD

    def __repr__(self) -> str:
        return f"SpamVerdict({self.kind!r}, {self.reason!r})"


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in value)


class PublicFormRenderer(Jinja2):
    """Public pages' form widgets, by Django's own Jinja2 widget templates: the same HTML
    as its Django ones, several times faster (an input's attributes were a tenth of a
    profile's render). Staff pages (admin) keep the default renderer: their widgets are
    Django templates.

    Each template's last newline is kept, as Django's engine keeps it (a select's options
    each end a line); `attrs.html`, the one Django template without one, is ours
    (common/form_widgets/), so an input's `>` stays on its line."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_widgets",
                    Path(forms.__file__).parent / self.backend.app_dirname,
                ],
                "NAME": "djangoforms",
                "OPTIONS": {"keep_trailing_newline": True},
            }
        )


# One instance, so its engine compiles each widget template once.
PUBLIC_FORM_RENDERER = PublicFormRenderer()


class SpamCheckedForm(forms.Form):
    """The spam fields of a public form (rendered by templates/includes/spam_fields.html,
    which gets each visitor a fresh token through common/page_cache.py)."""

    default_renderer = PUBLIC_FORM_RENDERER

    # Left empty by people (it is hidden); bots fill it in.
    leave_blank = forms.CharField(required=False, label=_("Leave this field empty"))
    form_token = forms.CharField(widget=forms.HiddenInput)

    def visible_fields(self):
        """The fields a person fills in. The honeypot is a text input (bots fill those in)
        that templates/includes/spam_fields.html alone renders, out of people's sight:
        a template looping over the fields must never show it to them."""
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    def spam_verdict(self) -> SpamVerdict:
        """Bot, maybe a person (hold for a check), or clean: honeypot, token, fill time."""
        if token_payload(self.data) is None:
            return SpamVerdict(SpamVerdict.BOT, "bad token")
        trap = str(self.data.get(HONEYPOT_FIELD, "")).strip()
        if trap:
            own = {
                str(self.data.get(name, "")).strip().lower()
                for name in self.fields
                if name != HONEYPOT_FIELD
            }
            if trap.lower() in own or _AUTOFILL_LIKE.match(trap):
                return SpamVerdict(SpamVerdict.HOLD, "hidden field autofilled")
            return SpamVerdict(SpamVerdict.BOT, "honeypot")
        payload = token_payload(self.data) or {}
        if time.time() - payload.get("t", 0) < settings.FORM_MIN_FILL_SECONDS:
            return SpamVerdict(SpamVerdict.HOLD, "sent very fast")
        return SpamVerdict(SpamVerdict.CLEAN)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and has_control_characters(value):
                self.add_error(name, CONTROL_CHARACTER_MESSAGE)
        return data

    def submission_key(self) -> str:
        """One shown form, one submission: a double click, a retry or a replay of its token
        finds the first one, whatever the fields say now.

        The token is made for each visitor, even on a cached page (per_visitor), so two
        people never share one; one token posted many times with other addresses must not
        email each of them.
        """
        payload = token_payload(self.data) or {}
        return hashlib.sha256(f"form:{payload.get('n', '')}".encode()).hexdigest()[:40]


# What the browser's file picker offers: the kinds common/photos.py accepts.
PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.heic,.heif"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT, "multiple": True}),
        )
        kwargs.setdefault("required", False)  # counted by clean_photos, with its own message
        super().__init__(**kwargs)

    def to_python(self, data):
        return list(data) if isinstance(data, (list, tuple)) else ([data] if data else [])

    def validate(self, value):
        pass  # counted and checked one by one by PhotoUploadForm.clean_photos()

    def run_validators(self, value):
        pass


class PhotoUploadForm(SpamCheckedForm):
    """A public form with 1 to PHOTO_MAX_PER_FORM photos (templates/includes/photo_field.html);
    `photos_required` and `max_photos` change that for a form whose photos are optional.

    `refused_files` are the names the upload cap dropped while streaming
    (common/decorators.py: request.refused_photos).
    """

    photos = PhotosField(label=_("Photos"))
    no_photo_message = _("Please add at least one photo.")
    # A form whose photos are optional (a review) says so and may take fewer.
    photos_required = True
    max_photos: int | None = None  # None: PHOTO_MAX_PER_FORM

    def __init__(self, *args, refused_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_files = list(refused_files)
        self.photo_infos: list[tuple[UploadedFile, PhotoInfo]] = []

    def clean_photos(self):
        """Count and inspect the photos; every problem becomes its own message."""
        photos = self.cleaned_data["photos"]
        errors = [
            PhotoRejected("too_large", display_name(name)).args[0] for name in self.refused_files
        ]
        count = len(photos) + len(self.refused_files)
        if count == 0 and self.photos_required:
            raise forms.ValidationError(self.no_photo_message)
        limit = self.max_photos or settings.PHOTO_MAX_PER_FORM
        if count > limit:
            # static/js/quote_form.js says the same before sending.
            raise forms.ValidationError(
                ngettext(
                    "Please choose at most %(limit)s photo (you chose %(count)s).",
                    "Please choose at most %(limit)s photos (you chose %(count)s).",
                    limit,
                )
                % {"limit": limit, "count": count}
            )
        infos = []
        for upload in photos:
            try:
                infos.append((upload, inspect_upload(upload)))
            except PhotoRejected as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        self.photo_infos = infos
        return photos


# What a storage raises when it cannot take a file just now: a full or failing disk
# (OSError), a bucket out of reach or refusing (botocore). Never a reason to lose a form.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)
STORAGE_RETRY_AFTER_SECONDS = 60
PHOTOS_NOT_STORED = _(
    "We could not store your photos just now, so nothing was sent. Please choose your "
    "photos again and send the form in a few minutes."
)


def storage_unavailable(form: forms.Form, show_form: Callable[[], HttpResponse]) -> HttpResponse:
    """The form again, with what was typed and a message saying nothing was sent, as a 503
    with Retry-After: the storage failed while the form's files were saved (the caller's
    transaction and files_removed_on_error left nothing behind)."""
    logger.error("A form's files could not be stored; nothing was kept", exc_info=True)
    form.add_error(None, PHOTOS_NOT_STORED)
    response = show_form()
    response.status_code = 503
    response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
    return response


def save_upload(field_file: FieldFile, name: str, content: File, stored: list[str]) -> None:
    """`field_file.save(name, content, save=False)`, noting the name in `stored` before
    anything is written: a disk that fills up mid-file leaves part of it behind, which
    files_removed_on_error must delete too (no file that no row names)."""
    field = field_file.field
    storage = field_file.storage
    target = storage.get_available_name(
        field.generate_filename(field_file.instance, name), max_length=field.max_length
    )
    stored.append(target)
    field_file.name = storage.save(target, content, max_length=field.max_length)
    stored[-1] = field_file.name
    setattr(field_file.instance, field.attname, field_file.name)


@contextmanager
def files_removed_on_error(storage: Storage) -> Iterator[list[str]]:
    """Yield a list to note stored file names in; if the block fails, the files are deleted.

    Wrap the transaction that stores rows and their files: when it rolls back, the rows
    are gone and so must their files be (no orphan file).
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            if storage.exists(name):
                storage.delete(name)
        raise
