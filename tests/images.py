"""Test images made on the fly: real JPEG/PNG/MPO bytes, some with metadata, some broken."""

import io
import struct
import zlib

from PIL import Image

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def jpeg(size=(800, 600), color=(150, 110, 90), exif=None, comment=None, **save) -> bytes:
    image = Image.new("RGB", size, color)
    # A dark block in the top-left corner shows which way up the picture is.
    image.paste((0, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    buffer = io.BytesIO()
    kwargs = dict(save)
    if exif is not None:
        kwargs["exif"] = exif
    if comment:
        kwargs["comment"] = comment
    image.save(buffer, "JPEG", quality=90, **kwargs)
    return buffer.getvalue()


def exif_with_gps_and_orientation(orientation=6):
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    gps = exif.get_ifd(GPS_TAG)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 26.0)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    return exif


def png(size=(640, 480), mode="RGB", color=(90, 120, 150)) -> bytes:
    buffer = io.BytesIO()
    fill = color if mode == "RGB" else (*color, 128)
    Image.new(mode, size, fill).save(buffer, "PNG")
    return buffer.getvalue()


def mpo(size=(800, 600)) -> bytes:
    """A two-frame MPO, as many phones write: Pillow opens it as format "MPO"."""
    first = Image.new("RGB", size, (200, 50, 50))
    second = Image.new("RGB", (160, 120), (50, 50, 200))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def gif(size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("P", size).save(buffer, "GIF")
    return buffer.getvalue()


def png_bomb(width=60_000, height=60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels: rows of zeros compress to nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def padded(data: bytes, total: int) -> bytes:
    """Pad an image with trailing bytes (decoders ignore them) to an exact size."""
    assert len(data) <= total
    return data + b"\x00" * (total - len(data))


def heic(size=(1200, 900), color=(150, 110, 90), exif=None) -> bytes:
    """An iPhone-style HEIC photo (pillow-heif writes it), with EXIF if given."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    image.save(buffer, "HEIF", quality=80, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def flat_png(width=7000, height=7000) -> bytes:
    """A real, complete RGB PNG of one colour: 190 KB on disk, 150 MB once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width * 3 + 1)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def photo_like(seed: int, size=(1200, 900)):
    """A Pillow image with a photo's kind of structure (broad shapes, detail, grain), different
    for each seed: what perceptual hashes are made for, unlike a flat colour."""
    import numpy as np

    rng = np.random.default_rng(seed)
    broad = Image.fromarray((rng.random((6, 8, 3)) * 255).astype("uint8")).resize(
        size, Image.Resampling.BICUBIC
    )
    detail = Image.fromarray((rng.random((45, 60, 3)) * 255).astype("uint8")).resize(
        size, Image.Resampling.BICUBIC
    )
    mixed = np.asarray(Image.blend(broad, detail, 0.35)).astype(float)
    grain = rng.normal(0, 12, (size[1], size[0], 3))
    return Image.fromarray(np.clip(mixed + grain, 0, 255).astype("uint8"))


def photo_jpeg(seed: int, size=(1200, 900), quality=90, **save) -> bytes:
    buffer = io.BytesIO()
    photo_like(seed, size).save(buffer, "JPEG", quality=quality, **save)
    return buffer.getvalue()


def scan_bomb(extra_scans: int, size=(600, 600)) -> bytes:
    """A valid progressive JPEG followed by `extra_scans` copies of its last refinement scan:
    a decoder makes a pass over the whole image for each (issue #25's "scan bomb")."""
    buffer = io.BytesIO()
    Image.new("L", size, 128).save(buffer, "JPEG", quality=90, progressive=True)
    data = buffer.getvalue()
    assert data.endswith(b"\xff\xd9")
    last_scan = data[data.rfind(b"\xff\xda") : -2]
    return data[:-2] + last_scan * extra_scans + b"\xff\xd9"
