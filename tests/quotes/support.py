import errno
import os
import time

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.forms import FORM_TOKEN_SALT
from outbox import queue, sending
from quotes.models import QuoteDelivery, QuotePhoto, QuoteRequest
from tests import images


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def form_token(age: float = 60) -> str:
    return signing.dumps(
        {"n": f"nonce-{time.time_ns()}", "t": time.time() - age}, salt=FORM_TOKEN_SALT
    )


def upload(name="scalp.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, images.jpeg() if data is None else data, content_type)


def make_quote(city, *, clinic=None, mode="city", photos=1, orientation=1, **fields):
    """A stored request as the form would leave it: received, photos not yet sanitised.

    The photos carry EXIF with GPS (and `orientation`), so sanitising has work to do.
    """
    fields.setdefault("message", "Thinning at the crown for five years.")
    quote = QuoteRequest.objects.create(
        name="Sam Client",
        email="sam@client.example",
        city=city,
        clinic=clinic,
        mode=mode,
        consent_at=timezone.now(),
        **fields,
    )
    for _ in range(photos):
        photo = QuotePhoto(quote=quote, width=800, height=600, bytes=1, format="JPEG")
        exif = images.exif_with_gps_and_orientation(orientation)
        photo.file.save("upload.jpg", ContentFile(images.jpeg(exif=exif)), save=False)
        photo.save()
    return quote


def send(delivery) -> float | None:
    """Run one delivery's send step, as its task would."""
    return sending.send_email(QuoteDelivery, delivery.pk)


def nothing_enqueued(monkeypatch) -> None:
    """Keep every task in the database only: a test runs each step itself."""
    monkeypatch.setattr(queue, "enqueue", lambda name, *args: True)


class DiskFullStorage(FileSystemStorage):
    """The private storage on a disk that fills up: while `full` is set, a save writes part
    of the file and then fails as a full disk does (ENOSPC). A fault at the edge of the
    world, injected where the operating system would raise it."""

    full = False

    def _save(self, name, content):
        if not type(self).full:
            return super()._save(name, content)
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read(1024))
        raise OSError(errno.ENOSPC, "No space left on device", path)
