"""`make icons`: the favicon set and the email logo, drawn from static/img/logo-mark.svg.

The PNG and ICO files are committed (browsers and mail clients need raster icons and
the site has no build step); run this again only after changing the mark.
"""

import io
from pathlib import Path

import resvg_py
from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image

IMG = Path(settings.BASE_DIR) / "static" / "img"
MARK = IMG / "logo-mark.svg"
BRAND = (31, 58, 95, 255)  # the mark's own background, for full-bleed and maskable icons


def render(size: int) -> Image.Image:
    png = bytes(resvg_py.svg_to_bytes(svg_path=str(MARK), width=size, height=size))
    return Image.open(io.BytesIO(png)).convert("RGBA")


def padded(size: int, share: float) -> Image.Image:
    """The mark at `share` of a square filled with its background: maskable and iOS icons,
    whose corners the platform cuts itself, need no transparent corners of their own."""
    canvas = Image.new("RGBA", (size, size), BRAND)
    inner = round(size * share)
    offset = (size - inner) // 2
    canvas.alpha_composite(render(inner), (offset, offset))
    return canvas


class Command(BaseCommand):
    help = "Render the favicon PNGs, favicon.ico and the email logo from logo-mark.svg."

    def handle(self, *args, **options):
        icons = IMG / "icons"
        icons.mkdir(exist_ok=True)
        outputs = {
            "favicon-32.png": render(32),
            "icon-192.png": render(192),
            "icon-512.png": render(512),
            "icon-maskable-512.png": padded(512, 0.8),
            "apple-touch-icon.png": padded(180, 0.9).convert("RGB"),
            "email-logo.png": render(96),
        }
        for name, image in outputs.items():
            image.save(icons / name, optimize=True)
        render(48).save(icons / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
        self.stdout.write(
            f"Wrote {len(outputs) + 1} files to {icons.relative_to(settings.BASE_DIR)}"
        )
