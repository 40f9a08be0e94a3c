"""Serving a file from private storage to someone allowed to see it (never a public URL).

Local storage streams it; S3 redirects to a short-lived presigned URL. Either way the
answer is never cached or indexed and sends no Referer on.
"""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """storages["private"] (the private bucket), looked up on first use rather than
    when models load.

    A FileField evaluates a callable storage once, at import; this proxy lets the
    STORAGES setting (S3 in production, a temporary folder in tests) decide later.
    Clients' quote photos, review photos before they are published, and the documents
    behind clinics' credentials all live there.
    """

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    """The storage= of a FileField whose files must never have a public URL."""
    return _private_storage


def private_file_response(file: FieldFile, content_type: str) -> HttpResponseBase:
    if not file.name:
        raise ValueError("No file to serve")
    return private_name_response(file.storage, file.name, content_type)


def private_name_response(storage: Storage, name: str, content_type: str) -> HttpResponseBase:
    """A file of a private storage by its name (for rows that keep a name, not a FileField)."""
    response: HttpResponseBase
    if settings.PRIVATE_FILES_REDIRECT:
        response = HttpResponseRedirect(storage.url(name))
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
