"""Image helpers shared by the sample directory and the sample articles."""

import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image


def jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def stored_image(name: str, make: Callable[[], bytes]) -> str:
    """Draw a sample image once; later runs reuse the stored file, so reruns stay cheap."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(make()))
