"""`make lighthouse`: Lighthouse's mobile audit of the main pages, against Debian's Chromium.

The site is served as `make bench` serves it (gunicorn, DEBUG off, page cache on).
Lighthouse itself comes from npm (`make lighthouse` installs it under var/lighthouse/).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .bench import VAR, Site, bench_redis

LIGHTHOUSE = VAR / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class Command(BaseCommand):
    help = (
        "Run Lighthouse (mobile) on home, a city, a clinic, an article, the quote form, "
        "/training/ and a class page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))

    def handle(self, *args, chrome, **options):
        if not LIGHTHOUSE.exists():
            raise CommandError("Lighthouse is not installed: run `make lighthouse`.")
        if not shutil.which(chrome) and not Path(chrome).exists():
            raise CommandError(f"No Chromium at {chrome}: apt-get install -y chromium")
        with bench_redis() as (redis_url, _version):
            site = Site(100, redis_url)
            site.prepare()
            paths = json.loads(site.manage("bench_pipeline", "urls"))
            pages = [
                ("home", "/"),
                ("city", paths["city"].replace("scale-samplebury", "london")),
                ("clinic", paths["clinic"]),
                ("article", paths["article"]),
                ("quote form", "/quote/"),
                ("training", "/training/"),
                ("class", paths["training_class"]),
            ]
            site.serve("cached")
            results = []
            try:
                for name, path in pages:
                    results.append((name, path, self._audit(site.url(path), chrome)))
            finally:
                site.stop()
            self.stdout.write(f"{'page':12} " + " ".join(f"{c:>15}" for c in CATEGORIES))
            for name, _path, scores in results:
                self.stdout.write(f"{name:12} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
            (VAR / "lighthouse.json").write_text(
                json.dumps([{"page": n, "url": p, **s} for n, p, s in results], indent=2)
            )

    def _audit(self, url: str, chrome: str, tries: int = 3) -> dict:
        # Chromium now and then fails to record the trace on a busy machine (NO_NAVSTART).
        for attempt in range(1, tries + 1):
            try:
                return self._audit_once(url, chrome)
            except CommandError:
                if attempt == tries:
                    raise
        raise AssertionError("unreachable")

    def _audit_once(self, url: str, chrome: str) -> dict:
        env = {**os.environ, "CHROME_PATH": chrome}
        flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
        out = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                "--output-path=stdout",
                f"--chrome-flags={flags}",
                "--only-categories=" + ",".join(CATEGORIES),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        if out.returncode:
            raise CommandError(f"Lighthouse failed on {url}:\n{out.stderr[-2000:]}")
        report = json.loads(out.stdout)
        scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
        scores["failed_audits"] = [
            audit_id
            for audit_id, audit in report["audits"].items()
            if audit.get("score") is not None
            and audit["score"] < 0.9
            and audit.get("scoreDisplayMode") in ("binary", "numeric")
        ][:12]
        return scores
