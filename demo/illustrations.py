"""Drawn illustrations for the sample data: SVG built from parts, rendered to JPEG by resvg.

Gallery pictures show the stages of a treatment (before, straight after, healed) for one
theme (hairline, crown density, scar camouflage, alopecia) on one skin tone, so a
clinic's gallery reads as one client's series; portraits are drawn people, each artist
their own. Every picture is an illustration and the pages say so: no photo of a real
person or client is made or implied.
"""

import functools
import io
import random
from collections.abc import Iterable
from dataclasses import dataclass

import resvg_py
from PIL import Image

from .images import jpeg

JPEG_QUALITY = 84

# name, skin, shade (the skin's darker side), pigment
TONES = (
    ("light", "#f1cfb5", "#dcae8f", "#3a302b"),
    ("fair", "#e6b994", "#cf9a74", "#2f2622"),
    ("medium", "#c98f66", "#ad734d", "#2a201b"),
    ("tan", "#a8704a", "#8c5a38", "#211915"),
    ("deep", "#774a2e", "#5f3a23", "#17110e"),
)
BACKDROPS = ("#e8eef5", "#e2f3f0", "#f3ece4", "#ece8f3")

THEMES = ("hairline", "crown", "scar", "alopecia")
STAGES = ("before", "after", "healed")


@functools.lru_cache(maxsize=512)
def render_jpeg(svg: str, width: int, height: int) -> bytes:
    """SVG markup to JPEG bytes at the given size (resvg draws, Pillow encodes).

    Kept in memory for the process: drawing the gallery takes seconds, and a test run
    loads the demo data into several fresh media folders."""
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=width, height=height))
    with Image.open(io.BytesIO(png)) as image:
        return jpeg(image.convert("RGB"), JPEG_QUALITY)


def _stipple(
    pattern_id: str, rng: random.Random, colour: str, size: float, per_tile: int, tile: int = 24
) -> str:
    """A tile of jittered dots: the way SMP pigment sits, neither a grid nor noise."""
    side = max(1, round(per_tile**0.5))
    step = tile / side
    dots = []
    for row in range(side):
        for col in range(side):
            x = (col + 0.5) * step + rng.uniform(-step * 0.42, step * 0.42)
            y = (row + 0.5) * step + rng.uniform(-step * 0.42, step * 0.42)
            r = size * rng.uniform(0.7, 1.15)
            dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.2f}"/>')
    return (
        f'<pattern id="{pattern_id}" width="{tile}" height="{tile}" patternUnits="userSpaceOnUse">'
        f'<g fill="{colour}">{"".join(dots)}</g></pattern>'
    )


def _svg(width: int, height: int, defs: Iterable[str], body: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><defs>{"".join(defs)}</defs>{"".join(body)}</svg>'
    )


def _shading(gradient_id: str, skin: str, shade: str) -> str:
    return (
        f'<radialGradient id="{gradient_id}" cx="0.42" cy="0.38" r="0.75">'
        f'<stop offset="0.55" stop-color="{skin}"/><stop offset="1" stop-color="{shade}"/>'
        "</radialGradient>"
    )


@dataclass(frozen=True)
class GalleryPicture:
    theme: str
    stage: str
    tone: str

    @property
    def name(self) -> str:
        return f"demo/illustrations/gallery/{self.theme}-{self.tone}-{self.stage}.jpg"

    @property
    def alt(self) -> str:
        return GALLERY_ALT[self.theme][self.stage]


GALLERY_ALT = {
    "hairline": {
        "before": "Illustration: a receding front hairline with thin temples, before SMP",
        "after": "Illustration: the same hairline straight after an SMP session, "
        "dense and slightly darker",
        "healed": "Illustration: the healed hairline, a soft-edged even stipple",
    },
    "crown": {
        "before": "Illustration: the top of a head with thinning at the crown, before SMP",
        "after": "Illustration: the crown straight after an SMP session, with even "
        "pigment dots and some redness",
        "healed": "Illustration: the healed crown, matching the density around it",
    },
    "scar": {
        "before": "Illustration: the back of a head with a pale strip scar from a hair transplant",
        "after": "Illustration: the scar straight after camouflage, dotted to match the stubble",
        "healed": "Illustration: the healed camouflage, the scar hard to pick out",
    },
    "alopecia": {
        "before": "Illustration: the top of a head with round bare patches from alopecia",
        "after": "Illustration: the patches straight after an SMP session, filled in with dots",
        "healed": "Illustration: the healed result, an even shaved look",
    },
}
STUDIO_ALT = "Illustration: a bright treatment room with a reclining chair and a daylight lamp"


def gallery_svg(picture: GalleryPicture, width: int = 800, height: int = 600) -> str:
    """One stage of one theme on one skin tone."""
    _, skin, shade, pigment = next(t for t in TONES if t[0] == picture.tone)
    rng = random.Random(f"{picture.theme}-{picture.tone}")  # the same head at every stage
    backdrop = BACKDROPS[THEMES.index(picture.theme) % len(BACKDROPS)]
    stage = picture.stage
    # Natural stubble everywhere, then the treatment's dots where it was done.
    defs = [
        _shading("skin", skin, shade),
        _stipple("stubble", rng, pigment, 1.6, 9, tile=30),
        _stipple(
            "pigment",
            random.Random(picture.tone),
            pigment,
            2.0 if stage == "after" else 1.75,
            9,
            tile=20,
        ),
        '<radialGradient id="redness" cx="0.5" cy="0.5" r="0.5">'
        '<stop offset="0" stop-color="#e0685a" stop-opacity="0.28"/>'
        '<stop offset="1" stop-color="#e0685a" stop-opacity="0"/></radialGradient>',
    ]
    body = [f'<rect width="{width}" height="{height}" fill="{backdrop}"/>']
    body.append(
        f'<circle cx="{width * 0.5}" cy="{height * 0.52}" r="{height * 0.47}" fill="#ffffff" opacity="0.55"/>'
    )
    cx, cy = width / 2, height * 0.53
    if picture.theme == "hairline":
        body += _front_view(cx, cy, stage, defs, rng)
    elif picture.theme == "scar":
        body += _back_view(cx, cy, stage, defs, shade)
    else:
        body += _top_view(cx, cy, picture.theme, stage, defs, rng)
    return _svg(width, height, defs, body)


def _treated(stage: str, shape: str, mask_id: str, defs: list[str]) -> list[str]:
    """Pigment dots over `shape` (an SVG element filled with the mask's white), and a
    blush of redness while the session is fresh."""
    if stage == "before":
        return []
    defs.append(f'<mask id="{mask_id}" maskContentUnits="userSpaceOnUse">{shape}</mask>')
    layers = [
        f'<rect width="100%" height="100%" fill="url(#pigment)" mask="url(#{mask_id})" opacity="{0.95 if stage == "after" else 0.8}"/>'
    ]
    if stage == "after":
        layers.append(
            f'<rect width="100%" height="100%" fill="url(#redness)" mask="url(#{mask_id})"/>'
        )
    return layers


def _top_view(
    cx: float, cy: float, theme: str, stage: str, defs: list[str], rng: random.Random
) -> list[str]:
    rx, ry = 190, 235
    head = f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}"'
    parts = [
        f'<ellipse cx="{cx - rx + 6}" cy="{cy + 10}" rx="22" ry="48" fill="url(#skin)"/>',
        f'<ellipse cx="{cx + rx - 6}" cy="{cy + 10}" rx="22" ry="48" fill="url(#skin)"/>',
        f'{head} fill="url(#skin)"/>',
    ]
    # Where the natural stubble grows: all but a thinning crown, or all but bare patches.
    if theme == "crown":
        # A gradient, not a blur filter: the same soft edge, drawn in a fraction of the time.
        bare = f'<ellipse cx="{cx + 8}" cy="{cy + 40}" rx="{rx * 0.62}" ry="{ry * 0.54}" fill="url(#thinning)"/>'
        defs.append(
            '<radialGradient id="thinning"><stop offset="0.45" stop-color="#000"/>'
            '<stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>'
        )
    else:
        patches = []
        for _ in range(5):
            px = cx + rng.uniform(-rx * 0.55, rx * 0.55)
            py = cy + rng.uniform(-ry * 0.55, ry * 0.6)
            r = rng.uniform(28, 62)
            patches.append(f'<circle cx="{px:.0f}" cy="{py:.0f}" r="{r:.0f}" fill="#000"/>')
        bare = "".join(patches)
    defs.append(
        f'<mask id="growth" maskContentUnits="userSpaceOnUse">{head} fill="#fff"/>{bare}</mask>'
    )
    parts.append(
        f'<rect x="{cx - rx}" y="{cy - ry}" width="{2 * rx}" height="{2 * ry}" fill="url(#stubble)" mask="url(#growth)"/>'
    )
    parts += _treated(stage, f'{head} fill="#fff"/>', "treated", defs)
    return parts


def _front_view(cx: float, cy: float, stage: str, defs: list[str], rng: random.Random) -> list[str]:
    # A face from the front: the hairline is the subject, so the head fills the frame.
    rx, ry = 175, 225
    face_top = cy - ry
    receding = (
        f"M{cx - rx} {cy - 40} C{cx - rx} {face_top + 40} {cx - 120} {face_top + 30} {cx - 95} {face_top + 105} "
        f"C{cx - 50} {face_top + 60} {cx + 50} {face_top + 60} {cx + 95} {face_top + 105} "
        f"C{cx + 120} {face_top + 30} {cx + rx} {face_top + 40} {cx + rx} {cy - 40} "
        f"L{cx + rx} {face_top - 20} L{cx - rx} {face_top - 20} Z"
    )
    restored = (
        f"M{cx - rx} {cy - 40} C{cx - rx} {face_top + 90} {cx - 110} {face_top + 105} {cx - 70} {face_top + 112} "
        f"C{cx - 30} {face_top + 118} {cx + 30} {face_top + 118} {cx + 70} {face_top + 112} "
        f"C{cx + 110} {face_top + 105} {cx + rx} {face_top + 90} {cx + rx} {cy - 40} "
        f"L{cx + rx} {face_top - 20} L{cx - rx} {face_top - 20} Z"
    )
    defs.append(
        f'<clipPath id="headclip"><ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}"/></clipPath>'
    )
    parts = [
        f'<path d="M{cx - 150} 600 C{cx - 140} {cy + 170} {cx + 140} {cy + 170} {cx + 150} 600 Z" fill="#1f3a5f"/>',
        f'<rect x="{cx - 52}" y="{cy + 150}" width="104" height="80" fill="url(#skin)"/>',
        f'<ellipse cx="{cx - rx + 4}" cy="{cy + 10}" rx="24" ry="44" fill="url(#skin)"/>',
        f'<ellipse cx="{cx + rx - 4}" cy="{cy + 10}" rx="24" ry="44" fill="url(#skin)"/>',
        f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="url(#skin)"/>',
        f'<g clip-path="url(#headclip)"><path d="{receding}" fill="url(#stubble)"/></g>',
    ]
    parts += _treated(
        stage,
        f'<g clip-path="url(#headclip)"><path d="{restored}" fill="#fff"/></g>',
        "treated",
        defs,
    )
    # Eyes, brows and a calm mouth: a person, not a mannequin.
    parts += [
        f'<path d="M{cx - 92} {cy + 8} q28 -14 56 0 M{cx + 36} {cy + 8} q28 -14 56 0" stroke="#3a2a22" stroke-width="7" fill="none" stroke-linecap="round"/>',
        f'<circle cx="{cx - 64}" cy="{cy + 42}" r="9" fill="#2a201b"/><circle cx="{cx + 64}" cy="{cy + 42}" r="9" fill="#2a201b"/>',
        f'<path d="M{cx - 36} {cy + 138} q36 20 72 0" stroke="#7a4a36" stroke-width="6" fill="none" stroke-linecap="round"/>',
    ]
    return parts


def _back_view(cx: float, cy: float, stage: str, defs: list[str], shade: str) -> list[str]:
    rx, ry = 185, 225
    scar_y = cy + 70
    scar = f'<path d="M{cx - 150} {scar_y} Q{cx} {scar_y + 34} {cx + 150} {scar_y}" stroke="#fff" stroke-width="18" fill="none" stroke-linecap="round"/>'
    defs.append(
        f'<clipPath id="headclip"><ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}"/></clipPath>'
    )
    scar_opacity = {"before": 0.85, "after": 0.45, "healed": 0.18}[stage]
    parts = [
        f'<path d="M{cx - 160} 600 C{cx - 150} {cy + 175} {cx + 150} {cy + 175} {cx + 160} 600 Z" fill="#1f3a5f"/>',
        f'<rect x="{cx - 60}" y="{cy + 150}" width="120" height="80" fill="{shade}"/>',
        f'<ellipse cx="{cx - rx + 4}" cy="{cy - 5}" rx="22" ry="46" fill="url(#skin)"/>',
        f'<ellipse cx="{cx + rx - 4}" cy="{cy - 5}" rx="22" ry="46" fill="url(#skin)"/>',
        f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="url(#skin)"/>',
        f'<g clip-path="url(#headclip)"><ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="url(#stubble)"/></g>',
        f'<g opacity="{scar_opacity}">{scar.replace("#fff", "#f6e4d8")}</g>',
    ]
    parts += _treated(
        stage, scar.replace('stroke-width="18"', 'stroke-width="30"'), "treated", defs
    )
    return parts


def studio_svg(variant: int, width: int = 800, height: int = 600) -> str:
    """A treatment room: daylight window, reclining chair, lamp and a plant."""
    rng = random.Random(f"studio-{variant}")
    wall = ("#eef2f6", "#f3ede6", "#e9f1ee", "#efecf4")[variant % 4]
    chair = ("#1f3a5f", "#0f6b63", "#4a3f6b", "#7a3b2e")[variant % 4]
    floor = ("#c9b59c", "#b9c2c9", "#cdbfa8")[variant % 3]
    wx = rng.choice([90, 470])
    body = [
        f'<rect width="{width}" height="{height}" fill="{wall}"/>',
        f'<rect y="{height * 0.72}" width="{width}" height="{height * 0.28}" fill="{floor}"/>',
        f'<rect x="{wx}" y="90" width="240" height="220" rx="8" fill="#ffffff" stroke="#b8c4d2" stroke-width="10"/>',
        f'<path d="M{wx + 120} 90v220M{wx} 200h240" stroke="#b8c4d2" stroke-width="8"/>',
        f'<circle cx="{wx + 60}" cy="140" r="26" fill="#f7d774" opacity="0.9"/>',
        # reclining chair
        f'<path d="M250 330 Q260 300 300 300 L520 340 Q545 345 545 370 L545 392 L250 392 Z" fill="{chair}"/>',
        f'<rect x="220" y="250" width="70" height="150" rx="22" fill="{chair}" transform="rotate(-18 255 325)"/>',
        '<rect x="380" y="392" width="24" height="70" fill="#5b6675"/>',
        '<rect x="320" y="458" width="144" height="14" rx="7" fill="#5b6675"/>',
        # lamp on an arm
        '<path d="M640 470V230 Q640 200 610 196 L560 190" stroke="#5b6675" stroke-width="8" fill="none"/>',
        '<path d="M520 180 h80 l-14 34 h-52 z" fill="#ffffff" stroke="#5b6675" stroke-width="6"/>',
        '<path d="M548 214 L500 330 L640 330 L590 214 Z" fill="#fff6c9" opacity="0.45"/>',
        '<rect x="610" y="466" width="60" height="10" rx="5" fill="#5b6675"/>',
        # plant
        '<rect x="690" y="400" width="60" height="60" rx="8" fill="#d98b63"/>',
        '<path d="M720 400 C700 360 690 330 705 300 M720 400 C730 350 750 330 770 320 M720 400 C715 360 720 320 735 290" stroke="#2f7d5b" stroke-width="10" fill="none" stroke-linecap="round"/>',
    ]
    return _svg(width, height, [], body)


# Portraits: each artist drawn from parts, no two alike.
PORTRAIT_BACKDROPS = ("#1f3a5f", "#0f6b63", "#4a3f6b", "#7a3b2e", "#2f5d7c", "#5b6b2f", "#6b2f4f")
SHIRTS = ("#f4f6f9", "#e2f3f0", "#f2b705", "#c9d2de", "#d98b63", "#2b2f38")
HAIR_COLOURS = ("#1b1512", "#3b2a1f", "#6b4a2f", "#8a8a8a", "#a0522d")
HAIRSTYLES = ("smp", "crop", "long", "bun", "curls", "side")


@dataclass(frozen=True)
class Portrait:
    backdrop: str
    tone: str
    hairstyle: str
    hair: str
    shirt: str
    glasses: bool
    beard: bool

    @classmethod
    def draw(cls, rng: random.Random) -> "Portrait":
        hairstyle = rng.choice(HAIRSTYLES)
        return cls(
            backdrop=rng.choice(PORTRAIT_BACKDROPS),
            tone=rng.choice(TONES)[0],
            hairstyle=hairstyle,
            hair=rng.choice(HAIR_COLOURS),
            shirt=rng.choice(SHIRTS),
            glasses=rng.random() < 0.3,
            beard=hairstyle in ("smp", "crop", "side") and rng.random() < 0.4,
        )

    @property
    def key(self) -> str:
        return "-".join(
            [
                self.backdrop[1:],
                self.tone,
                self.hairstyle,
                self.hair[1:],
                self.shirt[1:],
                "g" if self.glasses else "",
                "b" if self.beard else "",
            ]
        )

    @property
    def name(self) -> str:
        return f"demo/illustrations/portraits/{self.key}.jpg"

    def svg(self, size: int = 192) -> str:
        _, skin, shade, pigment = next(t for t in TONES if t[0] == self.tone)
        c = size / 2
        defs = [_shading("skin", skin, shade)]
        behind, front = _hair(self.hairstyle, self.hair, c, defs)
        body = [
            f'<rect width="{size}" height="{size}" fill="{self.backdrop}"/>',
            behind,
            f'<path d="M{c - 70} {size} C{c - 66} {c + 42} {c + 66} {c + 42} {c + 70} {size} Z" fill="{self.shirt}"/>',
            f'<rect x="{c - 15}" y="{c + 18}" width="30" height="30" fill="{shade}"/>',
            f'<ellipse cx="{c}" cy="{c - 8}" rx="36" ry="44" fill="url(#skin)"/>',
            front,
            f'<circle cx="{c - 13}" cy="{c - 8}" r="3.4" fill="#1b1512"/><circle cx="{c + 13}" cy="{c - 8}" r="3.4" fill="#1b1512"/>',
            f'<path d="M{c - 11} {c + 16} q11 8 22 0" stroke="#7a4a36" stroke-width="3" fill="none" stroke-linecap="round"/>',
        ]
        if self.beard:
            body.append(
                f'<path d="M{c - 34} {c} C{c - 32} {c + 44} {c + 32} {c + 44} {c + 34} {c} '
                f'C{c + 24} {c + 20} {c - 24} {c + 20} {c - 34} {c} Z" fill="{self.hair}" opacity="0.85"/>'
            )
            body.append(
                f'<path d="M{c - 11} {c + 16} q11 8 22 0" stroke="{skin}" stroke-width="3" fill="none" stroke-linecap="round"/>'
            )
        if self.glasses:
            body.append(
                f'<g fill="none" stroke="#1b1512" stroke-width="3"><circle cx="{c - 14}" cy="{c - 8}" r="10"/>'
                f'<circle cx="{c + 14}" cy="{c - 8}" r="10"/><path d="M{c - 4} {c - 8}h8"/></g>'
            )
        if self.hairstyle == "smp":
            defs.append(_stipple("stubble", random.Random(self.key), pigment, 0.7, 16))
            body.append(
                f'<path d="M{c - 36} {c - 14} C{c - 38} {c - 60} {c + 38} {c - 60} {c + 36} {c - 14} '
                f'C{c + 26} {c - 38} {c - 26} {c - 38} {c - 36} {c - 14} Z" fill="url(#stubble)"/>'
            )
        return _svg(size, size, defs, body)


def _hair(style: str, colour: str, c: float, defs: list[str]) -> tuple[str, str]:
    """The hair behind the head (long styles) and over it, for one style."""
    cap = (
        f'<path d="M{c - 37} {c - 10} C{c - 42} {c - 66} {c + 42} {c - 66} {c + 37} {c - 10} '
        f'C{c + 30} {c - 34} {c - 30} {c - 34} {c - 37} {c - 10} Z" fill="{colour}"/>'
    )
    if style == "smp":
        return "", ""
    if style == "crop":
        return "", cap
    if style == "side":
        return "", (
            f'<path d="M{c - 38} {c - 6} C{c - 46} {c - 72} {c + 46} {c - 70} {c + 38} {c - 6} '
            f'C{c + 34} {c - 30} {c + 10} {c - 44} {c - 20} {c - 34} C{c - 30} {c - 28} {c - 36} {c - 18} {c - 38} {c - 6} Z" fill="{colour}"/>'
        )
    if style == "long":
        return (
            f'<path d="M{c - 46} {c + 50} C{c - 60} {c - 20} {c - 40} {c - 62} {c} {c - 62} '
            f'C{c + 40} {c - 62} {c + 60} {c - 20} {c + 46} {c + 50} Z" fill="{colour}"/>',
            cap,
        )
    if style == "bun":
        return (f'<circle cx="{c}" cy="{c - 60}" r="18" fill="{colour}"/>', cap)
    curls = "".join(
        f'<circle cx="{c + dx}" cy="{c + dy}" r="15" fill="{colour}"/>'
        for dx, dy in (
            (-34, -28),
            (-22, -46),
            (0, -54),
            (22, -46),
            (34, -28),
            (-12, -40),
            (12, -40),
        )
    )
    return "", curls


# Article heroes, 1200 × 630: one scene per article motif.
HERO_SIZE = (1200, 630)
HERO_COLOURS = {
    "full": ("#1f3a5f", "#2f5d8a"),
    "density": ("#4a3f6b", "#7a6aa3"),
    "hairline": ("#0f5c55", "#2f8f83"),
    "layers": ("#7a3b2e", "#b86a4f"),
    "balance": ("#2b3f4a", "#4f7282"),
    "scar": ("#5c2f3b", "#92566a"),
    "detail": ("#2f2f55", "#5a5a92"),
    "fade": ("#12506e", "#3f8fb3"),
    "grid": ("#3f4a22", "#6f7f3f"),
}


def hero_svg(motif: str, seed: int) -> str:
    width, height = HERO_SIZE
    top, bottom = HERO_COLOURS[motif]
    rng = random.Random(seed)
    tone = TONES[seed % len(TONES)]
    _, skin, shade, pigment = tone
    defs = [
        f'<linearGradient id="sky" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/></linearGradient>',
        _shading("skin", skin, shade),
        _stipple("dots", rng, pigment, 2.3, 9, tile=26),
        _stipple("sparse", rng, pigment, 2.0, 4, tile=26),
    ]
    body = [f'<rect width="{width}" height="{height}" fill="url(#sky)"/>']
    # Quiet dotted rings in the background: the site's stipple, at a larger scale.
    for i in range(4):
        body.append(
            f'<circle cx="{width * 0.82}" cy="{height * 0.2}" r="{90 + i * 70}" fill="none" '
            f'stroke="#ffffff" stroke-opacity="0.12" stroke-width="3" stroke-dasharray="2 12"/>'
        )
    heads = _hero_heads(motif, width, height)
    for index, (hx, hy, r) in enumerate(heads):
        body += _hero_head(motif, index, hx, hy, r, defs)
    body += _hero_extra(motif, width, height)
    return _svg(width, height, defs, body)


def _hero_heads(motif: str, width: int, height: int) -> list[tuple[float, float, float]]:
    if motif in ("grid", "fade"):
        return [(width * x, height * 0.54, 150) for x in (0.2, 0.5, 0.8)]
    if motif in ("balance", "scar"):
        return [(width * 0.33, height * 0.54, 190), (width * 0.67, height * 0.54, 190)]
    if motif == "detail":
        return [(width * 0.38, height * 0.54, 220)]
    return [(width * 0.5, height * 0.54, 230)]


def _hero_head(motif: str, index: int, x: float, y: float, r: float, defs: list[str]) -> list[str]:
    rx, ry = r * 0.82, r
    mask_id = f"m{index}"
    head = f'<ellipse cx="{x}" cy="{y}" rx="{rx}" ry="{ry}"'
    coverage = {
        # what of the head is dotted, per motif and head: an SVG shape drawn in white
        "grid": [
            f'<ellipse cx="{x}" cy="{y + ry * 0.3}" rx="{rx * 0.6}" ry="{ry * 0.5}" fill="#fff"/>',
            f'<rect x="{x - rx}" y="{y - ry}" width="{2 * rx}" height="{ry * 0.7}" fill="#fff"/>',
            f'{head} fill="#fff"/>',
        ],
        "balance": [
            f'{head} fill="#fff"/>',
            f'<rect x="{x - rx}" y="{y - ry}" width="{rx}" height="{2 * ry}" fill="#fff"/>',
        ],
        "scar": [f'{head} fill="#fff"/>', f'{head} fill="#fff"/>'],
    }
    shape = coverage.get(motif, [f'{head} fill="#fff"/>'])[
        min(index, len(coverage.get(motif, [0])) - 1)
    ]
    if motif == "hairline":
        shape = f'<rect x="{x - rx}" y="{y - ry * 0.62}" width="{2 * rx}" height="{2 * ry}" fill="#fff"/>'
    defs.append(f'<mask id="{mask_id}" maskContentUnits="userSpaceOnUse"><g>{shape}</g></mask>')
    defs.append(f'<clipPath id="c{index}">{head}/></clipPath>')
    opacity = {0: 1, 1: 0.62, 2: 0.3}[index] if motif == "fade" else 1
    pattern = "sparse" if motif == "density" else "dots"
    parts = [
        f'<ellipse cx="{x - rx + 6}" cy="{y + 8}" rx="{r * 0.11}" ry="{r * 0.24}" fill="url(#skin)"/>',
        f'<ellipse cx="{x + rx - 6}" cy="{y + 8}" rx="{r * 0.11}" ry="{r * 0.24}" fill="url(#skin)"/>',
        f'{head} fill="url(#skin)"/>',
        f'<g clip-path="url(#c{index})"><rect x="{x - rx}" y="{y - ry}" width="{2 * rx}" height="{2 * ry}" fill="url(#{pattern})" mask="url(#{mask_id})" opacity="{opacity}"/></g>',
    ]
    if motif == "scar":
        scar_opacity = 0.9 if index == 0 else 0.2
        parts.append(
            f'<path d="M{x - rx * 0.75} {y + ry * 0.35} Q{x} {y + ry * 0.5} {x + rx * 0.75} {y + ry * 0.35}" '
            f'stroke="#f6e4d8" stroke-opacity="{scar_opacity}" stroke-width="{r * 0.07}" fill="none" stroke-linecap="round"/>'
        )
    if motif == "hairline":
        parts.append(
            f'<path d="M{x - rx * 0.8} {y - ry * 0.5} Q{x} {y - ry * 0.78} {x + rx * 0.8} {y - ry * 0.5}" '
            'stroke="#ffffff" stroke-width="5" stroke-dasharray="6 10" fill="none" stroke-linecap="round"/>'
        )
    if motif == "density":
        # Longer hair falling from a centre parting, with dots between the strands.
        parts.append(f'<g clip-path="url(#c{index})">')
        for side in (-1, 1):
            for i in range(9):
                top = y - ry * 0.85 + i * ry * 0.19
                parts.append(
                    f'<path d="M{x + side * 6:.0f} {top:.0f} q{side * rx * 0.5:.0f} {ry * 0.05:.0f} '
                    f'{side * rx * 0.95:.0f} {ry * 0.45:.0f}" stroke="{TONES[-1][3]}" '
                    'stroke-opacity="0.6" stroke-width="5" fill="none" stroke-linecap="round"/>'
                )
        parts.append("</g>")
    return parts


def _hero_extra(motif: str, width: int, height: int) -> list[str]:
    """A small sign of the article's subject beside the heads."""
    if motif == "detail":
        # A magnifier over the stipple: choosing an artist means looking closely.
        x, y = width * 0.7, height * 0.42
        return [
            f'<clipPath id="lens"><circle cx="{x}" cy="{y}" r="120"/></clipPath>',
            f'<circle cx="{x}" cy="{y}" r="120" fill="#f1cfb5"/>',
            f'<g clip-path="url(#lens)"><circle cx="{x}" cy="{y}" r="120" fill="url(#dots)" '
            f'transform="translate({x} {y}) scale(2.2) translate({-x} {-y})"/></g>',
            f'<circle cx="{x}" cy="{y}" r="120" fill="none" stroke="#ffffff" stroke-width="16"/>',
            f'<path d="M{x + 85} {y + 85} l90 90" stroke="#ffffff" stroke-width="26" stroke-linecap="round"/>',
        ]
    if motif == "layers":
        # Sessions: three dots filling in, left to right.
        return [
            f'<circle cx="{width * (0.12 + i * 0.06)}" cy="{height * 0.85}" r="14" fill="#ffffff" fill-opacity="{0.35 + i * 0.3}"/>'
            for i in range(3)
        ]
    if motif == "full":
        return [
            f'<circle cx="{width * 0.8}" cy="{height * 0.3}" r="70" fill="#ffffff" opacity="0.94"/>',
            f'<circle cx="{width * 0.8}" cy="{height * 0.3}" r="70" fill="url(#dots)"/>',
            f'<circle cx="{width * 0.8}" cy="{height * 0.3}" r="70" fill="none" stroke="#ffffff" stroke-width="8"/>',
        ]
    return []
