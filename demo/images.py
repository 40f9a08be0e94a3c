"""Pillow drawing helpers shared by the sample directory and the sample articles."""

import io
import random
from collections.abc import Callable, Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw


def jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def stored_image(name: str, make: Callable[[], bytes]) -> str:
    """Draw a sample image once; later runs reuse the stored file, so reruns stay cheap."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(make()))


def points_in_disc(
    rng: random.Random, tries: int, limit: float = 1.0
) -> Iterator[tuple[float, float]]:
    """Random points of the unit square that fall within the disc x² + y² <= limit.

    Lazy, so callers drawing more numbers from `rng` per point keep the same sequence.
    """
    for _ in range(tries):
        x, y = rng.uniform(-1, 1), rng.uniform(-1, 1)
        if x * x + y * y <= limit:
            yield x, y


def dot(draw: ImageDraw.ImageDraw, x: float, y: float, radius: float, fill: tuple) -> None:
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=fill)
