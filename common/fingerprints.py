"""Perceptual fingerprints of public photos, to catch one photo shown by two clinics.

Every gallery photo and every review photo gets a fingerprint when it is stored: the
perceptual hash (pHash, 64 bits: phash() below) of the whole picture and of 15 crops of it,
each edge trimmed by 0 or 6%. Two photos match when the whole of one is within
MATCH_DISTANCE bits of the whole or of a crop of the other. So a copy that was resized,
recompressed or lightly cropped (a few percent off any edges) still matches, while
the whole-against-crop rule keeps different photos apart. Measured on photo-like test
images (tests/clinics/test_photo_proof.py, 1 December 2026): copies resized to a third or
recompressed at quality 30 came within 0 bits, cropped 3–10% (all round, one side, or a
corner then resized and recompressed) within 2–8; 435 pairs of different pictures were
16 bits apart at least (median 26).

A match is never a verdict: it flags both photos for staff, who look at them side by
side. Each app that stores public photos registers a source here (its rows, and how to
flag one), so the check spans apps without one importing the other.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

# Each edge trimmed by 0 or CROP: 16 crops, the first being the whole picture.
CROP = 0.06
CROPS = [
    (left, top, 1 - right, 1 - bottom)
    for left in (0, CROP)
    for top in (0, CROP)
    for right in (0, CROP)
    for bottom in (0, CROP)
]
HASH_HEX = 16  # 64 bits
FINGERPRINT_LENGTH = HASH_HEX * len(CROPS)
MATCH_DISTANCE = 10

# pHash looks at the lowest 8 x 8 frequencies of the picture shrunk to 32 x 32 pixels.
HASH_SIZE = 8
HASH_PIXELS = 32
# The first HASH_SIZE rows of the unnormalised DCT-II matrix (scipy.fftpack.dct's type 2):
# X[k] = 2 * sum(x[n] * cos(pi * k * (2n + 1) / 2N)).
_DCT = 2 * np.cos(
    np.pi
    * np.arange(HASH_SIZE)[:, np.newaxis]
    * (2 * np.arange(HASH_PIXELS)[np.newaxis, :] + 1)
    / (2 * HASH_PIXELS)
)


def phash(image: Image.Image) -> str:
    """The 64-bit perceptual hash of a picture, as 16 hexadecimal digits.

    Bit for bit the hash imagehash 4.3's `phash` gave (fingerprints stored before we dropped
    imagehash and scipy, 2026, stay comparable; tests/core/test_fingerprints.py holds its
    answers): grey, shrunk to 32 x 32 with Lanczos, a 2-D DCT-II of which the top-left
    8 x 8 is kept, each frequency then a 1 when it is above their median, row by row.
    """
    pixels = np.asarray(
        image.convert("L").resize((HASH_PIXELS, HASH_PIXELS), Image.Resampling.LANCZOS),
        dtype=np.float64,
    )
    # Only 8 of the 32 frequencies each way are kept, so two small matrix products do it.
    # Rounding to a millionth clears float noise, so a frequency that is zero in exact
    # arithmetic (a flat picture has 63 of them) is zero, as scipy's FFT made it; real
    # frequencies differ from their median by far more (0.005 at least over 2,000 pictures).
    low = np.round(_DCT @ pixels @ _DCT.T, 6)
    bits = (low > np.median(low)).flatten()
    return np.packbits(bits).tobytes().hex()


def fingerprint(source) -> str:
    """The fingerprint of an image file (path or file object), as hexadecimal text."""
    with Image.open(source) as image:
        image.draft("L", (512, 512))  # JPEGs decode small: the hash looks at 32 x 32 pixels
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception:  # malformed EXIF: hash the picture as stored
            upright = image
        grey = upright.convert("L")
    width, height = grey.size
    parts = []
    for left, top, right, bottom in CROPS:
        box = (int(left * width), int(top * height), int(right * width), int(bottom * height))
        parts.append(phash(grey.crop(box)))
    return "".join(parts)


def _hashes(fingerprints: list[str]) -> np.ndarray:
    """(n, 16) unsigned 64-bit hashes from n fingerprints, parsed in one go."""
    data = bytes.fromhex("".join(fingerprints))
    return np.frombuffer(data, dtype=">u8").astype(np.uint64).reshape(-1, len(CROPS))


def distances(one: str, others: list[str]) -> np.ndarray:
    """How far `one` is from each of `others`: whole against whole-or-crop, both ways."""
    if not others:
        return np.zeros(0, dtype=np.int64)
    mine = _hashes([one])[0]
    theirs = _hashes(others)
    # My whole picture against each of their crops, and their whole against each of mine.
    mine_whole = np.bitwise_count(theirs ^ mine[0]).min(axis=1)
    their_whole = np.bitwise_count(theirs[:, :1] ^ mine[np.newaxis, :]).min(axis=1)
    return np.minimum(mine_whole, their_whole).astype(np.int64)


@dataclass(frozen=True)
class StoredPhoto:
    """A fingerprinted photo of some source, as the check sees it."""

    source: str  # "gallery", "review"
    pk: int
    clinic_id: int
    fingerprint: str


@dataclass(frozen=True)
class Match:
    photo: StoredPhoto
    distance: int


@dataclass(frozen=True)
class Source:
    name: str
    # Every fingerprinted photo of this source.
    photos: Callable[[], Iterable[StoredPhoto]]
    # Flag one of its photos as matching `other` (a sentence saying which).
    flag: Callable[[int, str], None]
    # "gallery photo 12 of Clinic X", for the staff's note.
    describe: Callable[[int], str]


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.name] = source


def find_matches(fingerprint_hex: str, *, source: str, pk: int) -> list[Match]:
    """Every other stored photo, of any source, that this fingerprint matches."""
    stored = [
        photo
        for registered in SOURCES.values()
        for photo in registered.photos()
        if not (photo.source == source and photo.pk == pk)
        and len(photo.fingerprint) == FINGERPRINT_LENGTH
    ]
    found = distances(fingerprint_hex, [photo.fingerprint for photo in stored])
    return [
        Match(photo, int(distance))
        for photo, distance in zip(stored, found, strict=True)
        if distance <= MATCH_DISTANCE
    ]


def check_new_photo(fingerprint_hex: str, *, source: str, pk: int) -> list[str]:
    """Compare a photo just stored with all others; flag each photo it matches.

    Returns the notes for the new photo (empty: no match). The matched photos get a
    note naming the new one, so staff see the pair from either side.
    """
    notes = []
    for match in find_matches(fingerprint_hex, source=source, pk=pk):
        other = match.photo
        distance = f"{match.distance} of 64 bits differ"
        notes.append(f"Looks like {SOURCES[other.source].describe(other.pk)} ({distance}).")
        SOURCES[other.source].flag(
            other.pk, f"Looks like {SOURCES[source].describe(pk)} ({distance})."
        )
    return notes
