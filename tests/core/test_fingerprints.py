"""Our pHash is imagehash's, bit for bit, so fingerprints stored before we dropped imagehash
(and with it scipy and PyWavelets) still compare with new ones.

The expected values were computed with imagehash 4.3.2 (scipy 1.17.1, Pillow 13.0.0) on
6 December 2026, just before it was removed. They depend on Pillow's Lanczos resize: if
a Pillow upgrade changes these, it changes stored fingerprints too, so read the failure
before updating the values. Two-colour pictures with large exactly-symmetric areas are
left out: there scipy's FFT rounding picked some bits (10 of 1,500 such pictures came out
1 to 15 bits from ours); every photo-like, noise and flat picture tried (over 2,000,
and every hash of 126 JPEG fingerprints) came out identical.
"""

import io

import numpy as np
import pytest
from PIL import Image

from common import fingerprints
from tests import images


def _noise(seed: int, cells: tuple[int, int], size: tuple[int, int]) -> Image.Image:
    rng = np.random.default_rng(seed)
    cells_rgb = (rng.random((cells[1], cells[0], 3)) * 255).astype("uint8")
    return Image.fromarray(cells_rgb).resize(size, Image.Resampling.BICUBIC)


def _picture(name: str) -> Image.Image:
    kind, _, arg = name.partition(":")
    if kind == "photo":
        seed, width, height = (int(n) for n in arg.split(","))
        return images.photo_like(seed, size=(width, height))
    if kind == "noise":
        seed, width, height = (int(n) for n in arg.split(","))
        return _noise(seed, (seed % 40 + 2, seed % 30 + 3), (width, height))
    if kind == "flat":
        return Image.new("RGB", (120, 90), tuple(int(c) for c in arg.split(",")))
    if kind == "crop":
        seed, left, top, right, bottom = (int(n) for n in arg.split(","))
        return (
            images.photo_like(seed, size=(640, 480)).convert("L").crop((left, top, right, bottom))
        )
    raise ValueError(name)


# (picture, imagehash.phash of it), computed with imagehash before it was removed.
EXPECTED = {
    "photo:0,1200,900": "ac4002c72e76f79b",
    "photo:1,900,1200": "fe6eb943d4a09055",
    "photo:2,640,480": "86fa9a38622167de",
    "photo:3,333,777": "ba19700bd64233fd",
    "photo:4,32,32": "dedab43ec99c0261",
    "photo:5,48,40": "e9de3a8d8f4f00b0",
    "photo:6,2000,300": "b15571cf9130789d",
    "photo:7,1200,900": "b477b6d39e0f80a0",
    "photo:8,101,99": "ad727ce54f64021b",
    "photo:9,1600,1600": "f9a38bac4312d1cd",
    "noise:11,400,300": "9c02ca0fd7a5ab95",
    "noise:12,50,500": "9eda147494ef191a",
    "noise:13,33,33": "ceea9939e18e3903",
    "noise:14,800,600": "c035596a3397e4da",
    "noise:15,257,129": "adf6f240dc0e6178",
    "noise:16,64,64": "f227265a1c81bee6",
    "flat:0,0,0": "0000000000000000",
    "flat:255,255,255": "8000000000000000",
    "flat:150,110,90": "8000000000000000",
    "crop:21,0,0,640,480": "e12d7e909a5196ae",
    "crop:22,38,28,601,451": "e4a5051e4157d36f",
    "crop:23,64,0,640,480": "aeb0271e09bcfc43",
    "crop:24,0,0,320,240": "95a54f46b761b641",
}


@pytest.mark.parametrize(("name", "expected"), list(EXPECTED.items()))
def test_the_hash_is_imagehashs_phash_bit_for_bit(name, expected):
    assert fingerprints.phash(_picture(name)) == expected


# imagehash's whole fingerprint (16 hashes: the picture and its crops) of a lossless PNG.
EXPECTED_FINGERPRINT = (
    "b477b6d39e0f80a0f437b6d19e0fb400bc7fa6d39e1e00a0bc7fa6d39e0fa000"
    "b47fb681ba1f0a90f477b6d19e0b9280b87fa4a1ba1e1e90b87ea6e1be1e9480"
    "b437b7d19f0b00b4f437b3d19f03b420bc37a6f19e0784e0bc37a7d19e03b460"
    "bc67b6f19b0b0390fc37b2f19b0b9280bc6fa6f19e030394bc27a6f19e0396b0"
)


def test_a_whole_fingerprint_is_unchanged():
    buffer = io.BytesIO()
    images.photo_like(7).save(buffer, "PNG")
    buffer.seek(0)
    assert fingerprints.fingerprint(buffer) == EXPECTED_FINGERPRINT
