import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.photos import PhotoRejected, inspect_upload, sanitise
from tests import images


def _open(content) -> Image.Image:
    image = Image.open(io.BytesIO(content.read() if hasattr(content, "read") else content))
    image.load()
    return image


def test_a_sanitised_photo_has_no_exif_gps_or_comment_and_is_a_valid_jpeg():
    original = images.jpeg(exif=images.exif_with_gps_and_orientation(1), comment=b"shot at home")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(images.GPS_TAG)  # it had GPS

    content, info = sanitise(io.BytesIO(original))
    data = content.read()
    result = _open(data)
    assert result.format == "JPEG" and info.format == "JPEG"
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info and "comment" not in result.info
    assert "icc_profile" not in result.info and "xmp" not in result.info
    assert b"PhoneMaker" not in data and b"shot at home" not in data
    assert (result.width, result.height) == (info.width, info.height) == (800, 600)


def test_sanitising_turns_the_photo_upright_by_its_exif_orientation():
    # Orientation 6: the camera was turned; viewers rotate the stored 800x600 picture to 600x800.
    original = images.jpeg(size=(800, 600), exif=images.exif_with_gps_and_orientation(6))
    content, info = sanitise(io.BytesIO(original))
    result = _open(content)
    assert (result.width, result.height) == (600, 800)
    # The dark marker block, top-left in the stored pixels, is now top-right.
    assert sum(result.getpixel((580, 20))) < 60
    assert sum(result.getpixel((20, 20))) > 200


def test_malformed_exif_never_stops_sanitising():
    broken = images.jpeg()
    # An APP1 "Exif" segment whose TIFF header is garbage, right after the SOI marker.
    segment = b"Exif\x00\x00" + b"MM\x00\x2a\xff\xff\xff\xff" + b"\x13" * 40
    broken = broken[:2] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + broken[2:]
    content, info = sanitise(io.BytesIO(broken))
    assert _open(content).format == "JPEG"


def test_a_phone_mpo_photo_is_accepted_and_keeps_its_first_frame():
    data = images.mpo()
    upload = SimpleUploadedFile("IMG_2001.jpg", data, "image/jpeg")
    assert inspect_upload(upload).format == "MPO"
    content, info = sanitise(io.BytesIO(data))
    result = _open(content)
    assert (result.width, result.height) == (800, 600)
    assert result.getpixel((400, 300))[0] > 150  # the red first frame, not the blue preview
    assert getattr(result, "n_frames", 1) == 1


def test_a_png_is_stored_as_a_flattened_jpeg():
    content, info = sanitise(io.BytesIO(images.png(mode="RGBA")))
    result = _open(content)
    assert result.format == "JPEG" and result.mode == "RGB"


def test_the_long_side_is_capped(settings):
    settings.PHOTO_LONG_SIDE = 1000
    content, info = sanitise(io.BytesIO(images.jpeg(size=(4000, 3000))))
    assert (info.width, info.height) == (1000, 750)
    assert _open(content).size == (1000, 750)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    upload = SimpleUploadedFile("bomb.png", images.png_bomb(), "image/png")
    with pytest.raises(PhotoRejected) as refused:
        inspect_upload(upload)
    assert refused.value.rule == "too_many_pixels"
    with pytest.raises(Image.DecompressionBombError):
        sanitise(io.BytesIO(images.png_bomb()))


def test_pillows_own_bomb_warning_is_an_error(settings):
    # Below our bound but above Pillow's warning threshold: still refused, not decoded.
    settings.PHOTO_MAX_PIXELS = 10**12
    upload = SimpleUploadedFile("bomb.png", images.png_bomb(12_000, 12_000), "image/png")
    with pytest.raises(PhotoRejected) as refused:
        inspect_upload(upload)
    assert refused.value.rule == "too_many_pixels"
