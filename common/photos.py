"""Checking clients' photos when they arrive, and sanitising them before anyone sees them.

The web process only inspects (cheaply: headers, a JPEG's scans counted without decoding,
then JPEGs decoded at 1/8 scale); the worker re-encodes, after the same bounds. The same
sentences are used by static/js/quote_form.js, so a client sees the same words whether
the browser or the server refuses a file.
"""

import io
import logging
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

# iPhones save photos as HEIC: pillow-heif lets Pillow open them, and sanitise() turns
# them into JPEGs like every other photo.
register_heif_opener()

logger = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".heic", ".heif"}
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "HEIF"}  # Pillow opens many phone JPEGs as MPO
JPEG_FORMATS = {"JPEG", "MPO"}
DENSITY_CHECKED_FROM = 4_000_000  # pixels

# What a visitor reads about a photo refused, in their language (static/js/quote_form.js
# says the first three itself, in the same words, before the form is sent).
MESSAGES = {
    "extension": _(
        "“%(name)s” is not a photo we can use. Please choose a JPG, PNG or HEIC (iPhone) photo."
    ),
    "empty": _("“%(name)s” is empty (0 bytes). Please choose the photo again."),
    "too_large": _("“%(name)s” is larger than 15 MB. Please choose a smaller photo."),
    "not_image": _(
        "“%(name)s” is not really a JPG, PNG or HEIC image. Please choose a photo file."
    ),
    "damaged": _(
        "“%(name)s” is damaged or incomplete and can’t be opened. Please choose another photo."
    ),
    "too_many_pixels": _(
        "“%(name)s” has too many pixels (over 50 megapixels). Please send a normal phone photo."
    ),
    "too_dense": _(
        "“%(name)s” has far more pixels than a photo of its file size (%(megapixels)s megapixels "
        "in %(kilobytes)s KB), so it would take a great deal of memory to open. Please send "
        "the photo as your phone or camera saved it."
    ),
    "png_too_large": _(
        "“%(name)s” is a PNG of %(megapixels)s megapixels, more than a photo saved as PNG can "
        "hold in 15 MB. Please send it as a JPG."
    ),
    "too_many_scans": _(
        "“%(name)s” is a JPG saved in more than %(limit)s passes (a phone or camera saves at most "
        "about a dozen), so it would take far too long to open. Please send the photo as your "
        "phone or camera saved it."
    ),
    "too_small": _(
        "“%(name)s” is too small to be useful (under 200 pixels on one side). "
        "Please send a clearer photo."
    ),
}


class PhotoRejected(Exception):
    def __init__(self, rule: str, name: str, **details: object):
        self.rule = rule
        super().__init__(MESSAGES[rule] % {"name": name, **details})


@dataclass(frozen=True)
class PhotoInfo:
    width: int
    height: int
    format: str


def display_name(filename: str, limit: int = 60) -> str:
    """A client's file name made safe to show: no folders, no control characters, not too long."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip() or "photo"
    if len(name) > limit:
        stem, ext = os.path.splitext(name)
        name = stem[: limit - len(ext[:8]) - 1] + "…" + ext[:8]
    return name


def check_name_and_size(filename: str, size: int) -> None:
    name = display_name(filename)
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise PhotoRejected("extension", name)
    if size == 0:
        raise PhotoRejected("empty", name)
    if size > settings.PHOTO_MAX_BYTES:
        raise PhotoRejected("too_large", name)


def inspect_upload(upload) -> PhotoInfo:
    """Refuse anything that is not a usable JPEG, PNG or HEIC photo, without decoding it in full.

    HEIC is checked by its header and its boxes only here (complete, with the image data);
    the worker decodes it in full when sanitising.
    """
    check_name_and_size(upload.name, upload.size)
    name = display_name(upload.name)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                info = PhotoInfo(image.width, image.height, image.format or "")
                if image.format not in ALLOWED_FORMATS:
                    raise PhotoRejected("not_image", name)
                _check_dimensions(info, name, upload.size)
                if image.format in JPEG_FORMATS:
                    upload.seek(0)
                    check_jpeg_scans(upload.read(), name)
                    # Decoding at 1/8 scale is cheap and still fails on a truncated file.
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()
                elif image.format == "PNG":
                    image.verify()  # walks every PNG chunk and its checksum
                elif image.format == "HEIF":
                    upload.seek(0)
                    check_heif_complete(upload.read(), name)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoRejected("too_many_pixels", name) from None
    except UnidentifiedImageError:
        raise PhotoRejected("not_image", name) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError):
        raise PhotoRejected("damaged", name) from None
    finally:
        upload.seek(0)
    return info


def check_heif_complete(data: bytes, name: str) -> None:
    """Refuse a HEIC/HEIF file cut short (an upload interrupted, a copy not finished).

    Its header opens (Pillow reads the size from the `meta` box at the start), so the
    check above passes it, and only a full decode, in the worker, would find the image
    data missing: the client would never be told. A HEIF file is a row of boxes, each
    starting with its length (ISO/IEC 14496-12): each must end within the file, and the
    image data (`mdat`, or `idat` inside `meta`) must be there. Reads no pixel.
    """
    end, pos, kinds = len(data), 0, set()
    while pos < end:
        if pos + 8 > end:
            raise PhotoRejected("damaged", name)
        size = int.from_bytes(data[pos : pos + 4], "big")
        kinds.add(data[pos + 4 : pos + 8])
        header = 8
        if size == 1:  # a 64-bit length follows the type
            if pos + 16 > end:
                raise PhotoRejected("damaged", name)
            size, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif size == 0:  # the last box, to the end of the file
            size = end - pos
        if size < header or pos + size > end:
            raise PhotoRejected("damaged", name)
        pos += size
    if b"mdat" not in kinds and b"idat" not in data:
        raise PhotoRejected("damaged", name)


def _check_dimensions(info: PhotoInfo, name: str, size: int) -> None:
    """Pixels against a cap, against the kind of file, and against the bytes they came in.

    Decoding costs memory by pixels, not bytes: a flat 7000 x 7000 PNG is 190 KB and
    decodes to 150 MB. A phone photo carries at least a byte for every 10 to 25 pixels,
    even a dark or blurred one, so one that claims more than PHOTO_MAX_PIXELS_PER_BYTE is
    not a photo (checked from 4 megapixels up: smaller images are cheap whatever they
    are). A real photo saved as PNG takes about 2 bytes a pixel, so a PNG under the 15 MB
    cap has no business holding more than PHOTO_MAX_PNG_PIXELS (PNGs cannot be decoded
    at a reduced size, as JPEGs are).
    """
    pixels = info.width * info.height
    details = {"megapixels": round(pixels / 1_000_000), "kilobytes": max(1, size // 1024)}
    if pixels > settings.PHOTO_MAX_PIXELS:
        raise PhotoRejected("too_many_pixels", name)
    if min(info.width, info.height) < settings.PHOTO_MIN_SIDE:
        raise PhotoRejected("too_small", name)
    if pixels > DENSITY_CHECKED_FROM and pixels > size * settings.PHOTO_MAX_PIXELS_PER_BYTE:
        raise PhotoRejected("too_dense", name, **details)
    if info.format == "PNG" and pixels > settings.PHOTO_MAX_PNG_PIXELS:
        raise PhotoRejected("png_too_large", name, **details)


def check_decode_cost(upload) -> None:
    """What sanitise() refuses for its cost, asked before a form saves (staff's gallery
    uploads, which are sanitised on save): too many pixels, or too many JPEG scans.
    Raises PhotoRejected; reads only headers and marker segments."""
    name = display_name(getattr(upload, "name", "") or "photo")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                pixels = image.width * image.height
                if pixels > settings.PHOTO_MAX_PIXELS:
                    raise PhotoRejected("too_many_pixels", name)
                if image.format == "PNG" and pixels > settings.PHOTO_MAX_PNG_PIXELS:
                    raise PhotoRejected("png_too_large", name, megapixels=round(pixels / 1_000_000))
                if image.format in JPEG_FORMATS:
                    check_jpeg_scans(data, name)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoRejected("too_many_pixels", name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoRejected("not_image", name) from None


def check_jpeg_scans(data: bytes, name: str) -> None:
    """Refuse a JPEG with more scans than PHOTO_MAX_JPEG_SCANS, before anything decodes it.

    Each scan of a progressive JPEG costs a pass of the decoder over every block of the
    image, even at 1/8 scale: a 2000 x 2000 grey JPEG with 8,000 copies of its last
    refinement scan is 304 KB and held a worker past gunicorn's 30 s timeout.
    """
    limit = settings.PHOTO_MAX_JPEG_SCANS
    if count_jpeg_scans(data, stop_after=limit) > limit:
        raise PhotoRejected("too_many_scans", name, limit=limit)


def count_jpeg_scans(data: bytes, stop_after: int | None = None) -> int:
    """The start-of-scan (SOS, FF DA) markers of a JPEG's first image, without decoding.

    Walks the markers as a decoder does: a segment is skipped by its length (so the scans
    of an EXIF thumbnail, inside APP1, are not counted); in entropy-coded data (and in
    garbage between segments, which decoders skip too) a stuffed FF 00, a restart marker
    (FF D0 to FF D7) and fill bytes (FF FF) are passed over. Stops at the first EOI (the
    decoder stops there: an MPO's second frame is never decoded), at the end of the data,
    or as soon as the count passes `stop_after`. `bytes.find` jumps from one FF to the
    next, so even 15 MB of entropy-coded data takes milliseconds.
    """
    end = len(data)
    pos = 2 if data.startswith(b"\xff\xd8") else 0
    scans = 0
    while True:
        at = data.find(b"\xff", pos)
        if at < 0 or at + 1 >= end:
            return scans
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte before a marker
            pos = at + 1
        elif marker in _NO_LENGTH:
            pos = at + 2
        elif marker == _EOI:
            return scans
        elif at + 4 > end:
            return scans
        else:
            if marker == _SOS:
                scans += 1
                if stop_after is not None and scans > stop_after:
                    return scans
            # A segment's length counts its own two bytes; less is damage the decoder
            # refuses, so it is only stepped over here.
            pos = at + 2 + max(2, int.from_bytes(data[at + 2 : at + 4], "big"))


_SOS, _EOI = 0xDA, 0xD9
# Not markers, or markers without a length: a stuffed zero, TEM, restart markers, and
# SOI (which a decoder refuses a second time: it is only stepped over here).
_NO_LENGTH = frozenset({0x00, 0x01, 0xD8, *range(0xD0, 0xD8)})


def sanitise(source, long_side: int | None = None) -> tuple[ContentFile, PhotoInfo]:
    """Re-encode a stored photo as a metadata-free JPEG, upright, its long side capped
    (at `long_side`, or PHOTO_LONG_SIDE).

    1. Open the first frame only (MPO files carry a second, preview frame).
    2. Refuse what the upload check refuses for its cost, before decoding: too many
       pixels, or a JPEG with more scans than a camera writes (PhotoRejected).
    3. For JPEGs, let the decoder scale down while decoding (memory and time).
    4. Turn it upright from its EXIF orientation; malformed EXIF is ignored.
    5. Flatten transparency, cap the long side, and save with no EXIF, XMP,
       ICC or comments. The original bytes are not kept by the caller.
    """
    cap = long_side or settings.PHOTO_LONG_SIDE
    # Read once (a stored photo is at most PHOTO_MAX_BYTES): the scans are counted
    # on these bytes, and the decoder reads the same ones.
    data = source.read()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            limit = settings.PHOTO_MAX_PIXELS
            if image.format == "PNG":
                limit = min(limit, settings.PHOTO_MAX_PNG_PIXELS)
            if image.width * image.height > limit:
                raise Image.DecompressionBombError("photo has too many pixels")
            if image.format in JPEG_FORMATS:
                check_jpeg_scans(data, display_name(getattr(source, "name", "") or "photo"))
                scale = min(1.0, cap / max(image.size))
                image.draft("RGB", (int(image.width * scale), int(image.height * scale)))
            image.load()
            try:
                upright = ImageOps.exif_transpose(image)
            except Exception:  # malformed EXIF must never stop a client's request
                upright = image
            upright = _flatten(upright)
            upright.thumbnail((cap, cap), Image.Resampling.LANCZOS)
            upright.info = {}
            buffer = io.BytesIO()
            upright.save(buffer, "JPEG", quality=85, optimize=False, progressive=True)
    info = PhotoInfo(upright.width, upright.height, "JPEG")
    return ContentFile(buffer.getvalue()), info


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


class PhotoUnreadable(Exception):
    """A stored photo's bytes cannot be decoded: the photo's own fault, which no retry
    mends (unlike a full disk or an unreachable bucket)."""


def sanitise_stored(
    storage, name: str, long_sides: tuple[int, ...]
) -> list[tuple[ContentFile, PhotoInfo]]:
    """The stored photo `name`, sanitised at each long side (`sanitise`), in memory.

    Reading is the only storage work here, and its errors (a bucket out of reach)
    propagate: the caller's job is retried later. An error while decoding comes from the
    bytes themselves and is raised as PhotoUnreadable; a MemoryError is the worker's,
    and propagates as it is.
    """
    with storage.open(name, "rb") as source:
        data = source.read()
    try:
        return [sanitise(io.BytesIO(data), long_side=side) for side in long_sides]
    except MemoryError:
        raise
    except Exception as exc:
        raise PhotoUnreadable(f"{type(exc).__name__}: {exc}") from exc


def save_or_leave_nothing(storage, files: list[tuple[str, ContentFile]]) -> list[str]:
    """Save each (name, content) and return the names stored; when a save fails (a disk
    that filled up mid-file), delete whatever these saves wrote, then raise its error."""
    written: list[str] = []
    try:
        for name, content in files:
            target = storage.get_available_name(name)
            written.append(target)  # before the save: a partial write leaves a file too
            stored = storage.save(target, content)
            written[-1] = stored
    except BaseException:
        delete_quietly(storage, written)
        raise
    return written


def delete_quietly(storage, names: list[str]) -> None:
    """Delete these files where they exist, logging (not raising) a failure: used while
    another error is being reported."""
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
        except Exception:
            logger.warning("Could not delete a photo's partial file", exc_info=True)
