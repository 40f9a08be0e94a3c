"""Small files that decode huge are refused before they are decoded, with a message that
says why; real photos of every size still pass."""

import io
from functools import cache

import pytest
from django.urls import reverse
from PIL import Image

from common.photos import PhotoRejected, inspect_upload
from quotes.models import QuoteRequest
from tests import images
from tests.quotes.support import stored_files, upload

pytestmark = pytest.mark.django_db


@cache
def _flat_7000() -> bytes:
    return images.flat_png(7000, 7000)


def test_a_flat_7000_pixel_png_is_refused_as_too_dense_for_its_size():
    data = _flat_7000()
    assert len(data) < 200 * 1024
    with pytest.raises(PhotoRejected) as refused:
        inspect_upload(upload("flat.png", data, "image/png"))
    assert refused.value.rule == "too_dense"
    assert str(refused.value) == (
        "“flat.png” has far more pixels than a photo of its file size (49 megapixels in "
        f"{len(data) // 1024} KB), so it would take a great deal of memory to open. Please "
        "send the photo as your phone or camera saved it."
    )


def test_a_png_with_more_pixels_than_a_photo_png_can_hold_is_refused(settings):
    settings.PHOTO_MAX_PNG_PIXELS = 300_000  # a 640 x 480 PNG is 307,200
    with pytest.raises(PhotoRejected) as refused:
        inspect_upload(upload("big.png", images.png((640, 480)), "image/png"))
    assert refused.value.rule == "png_too_large"
    assert "Please send it as a JPG" in str(refused.value)


def test_a_real_large_photo_passes(settings):
    noise = Image.effect_noise((3000, 2000), 40).convert("RGB")  # 6 megapixels, like a photo
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=80)
    info = inspect_upload(upload("camera.jpg", buffer.getvalue()))
    assert (info.width, info.height) == (3000, 2000)


def test_five_flat_7000_pixel_pngs_are_refused_undecoded_and_nothing_is_stored(
    client, quote_data, private_dir, pixel_work
):
    photos = [upload(f"flat{n}.png", _flat_7000(), "image/png") for n in range(5)]
    response = client.post(reverse("quotes:request"), quote_data(photos=photos))
    assert response.status_code == 200
    assert pixel_work == []  # refused from their headers: no pixel was decoded
    errors = response.context["form"].errors["photos"]
    assert len(errors) == 5 and all("far more pixels than a photo" in e for e in errors)
    assert not QuoteRequest.objects.exists() and stored_files(private_dir) == []
