import time

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from smp_site.forms import FORM_TOKEN_SALT
from tests import images


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def form_token(age: float = 60) -> str:
    return signing.dumps(
        {"n": f"nonce-{time.time_ns()}", "t": time.time() - age}, salt=FORM_TOKEN_SALT
    )


def upload(name="scalp.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, images.jpeg() if data is None else data, content_type)
