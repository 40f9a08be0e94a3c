"""`make screenshots`: the main pages and an email at 375 and 1280 px, light and dark.

The site is served as `make bench` serves it (gunicorn, DEBUG off, the demo data and a
sample quote request with replies). Debian's Chromium takes full-page screenshots into
var/screenshots/, named <page>-<width>-<scheme>.png, for review: made on demand and never
committed (18 MB of PNGs a run would pile up in the repository's history).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from .bench import Site, bench_redis

OUT = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")


class Command(BaseCommand):
    help = "Screenshots of home, a city, a clinic, the quote form, the comparison page, an "
    help += "article, the FAQ and an email, at 375 and 1280 px, light and dark."

    def add_arguments(self, parser):
        parser.add_argument("--chrome", default="/usr/bin/chromium")

    def handle(self, *args, chrome, **options):
        from playwright.sync_api import sync_playwright

        with bench_redis() as (redis_url, _version):
            site = Site(0, redis_url)
            site.prepare()
            site.serve("cached")
            try:
                site.env["SITE_URL"] = site.url("")  # the email's logo comes from this server
                data = json.loads(site.manage("screenshot_data"))
                pages = [
                    ("home", "/"),
                    ("city", "/clinics/united-kingdom/london/"),
                    ("clinic", data["clinic"]),
                    ("quote-form", "/quote/"),
                    ("compare", data["compare"]),
                    ("article", data["article"]),
                    ("faq", "/faq/"),
                ]
                email = Path(data["email"]).read_text(encoding="utf-8")
                OUT.mkdir(parents=True, exist_ok=True)
                with sync_playwright() as playwright:
                    # The email is opened from about:blank, and Chromium blocks a public page's
                    # requests to a loopback server (its logo) unless told this is a test.
                    local_access = "BlockInsecurePrivateNetworkRequests,LocalNetworkAccessChecks"
                    browser = playwright.chromium.launch(
                        executable_path=chrome,
                        args=[
                            "--no-sandbox",
                            "--disable-gpu",
                            f"--disable-features={local_access}",
                        ],
                    )
                    for width in WIDTHS:
                        for scheme in SCHEMES:
                            context = browser.new_context(
                                viewport={"width": width, "height": 900}, color_scheme=scheme
                            )
                            page = context.new_page()
                            for name, path in pages:
                                page.goto(site.url(path), wait_until="networkidle")
                                self._shoot(page, f"{name}-{width}-{scheme}.png")
                            # A fresh document: the site's pages carry a CSP that would
                            # block the email's inline styles if the email replaced them.
                            page.goto("about:blank")
                            page.set_content(email, wait_until="networkidle")
                            self._shoot(page, f"email-{width}-{scheme}.png")
                            context.close()
                    browser.close()
            finally:
                site.stop()
            self.stdout.write(f"Screenshots in {OUT.relative_to(settings.BASE_DIR)}/")

    def _shoot(self, page, name: str) -> None:
        # Lazy images load as they near the viewport: scroll through the page first.
        page.evaluate(
            """async () => {
                for (let y = 0; y < document.body.scrollHeight; y += 600) {
                    window.scrollTo(0, y);
                    await new Promise(r => requestAnimationFrame(r));
                }
                window.scrollTo(0, 0);
                await Promise.all([...document.images].map(img => img.complete ? null :
                    new Promise(r => { img.onload = img.onerror = r; })));
            }"""
        )
        page.screenshot(path=str(OUT / name), full_page=True)
        self.stdout.write(f"  {name}")
