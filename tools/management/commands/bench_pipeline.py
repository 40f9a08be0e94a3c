"""Pieces of `manage.py bench` that run inside the benchmarked site's own settings."""

import json
import random
import select
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from tools.benchtools import found


class Command(BaseCommand):
    help = (
        "Used by `manage.py bench`: urls | queries PATH… | spread PROFILES CITIES | "
        "write-listings | sanitise jpeg|png | fan-out | inbox COUNT."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=[
                "urls",
                "queries",
                "spread",
                "write-listings",
                "sanitise",
                "fan-out",
                "inbox",
            ],
        )
        parser.add_argument(
            "args", nargs="*", help="jpeg or png; the paths to count for; the spread's sizes"
        )

    def handle(self, *args, action, **options):
        kind = args[0] if args else "jpeg"
        result = {
            "urls": _urls,
            "queries": lambda: _queries(args),
            "spread": lambda: _spread(*(int(n) for n in args)),
            "write-listings": _write_listings,
            "sanitise": lambda: _sanitise(kind),
            "fan-out": _fan_out,
            "inbox": lambda: _inbox(int(args[0]) if args else 1000),
        }[action]()
        self.stdout.write(json.dumps(result))


def _urls() -> dict:
    from django.contrib.staticfiles.storage import staticfiles_storage

    from articles.models import Article
    from clinics.models import City, Clinic
    from training.models import TrainingClass

    city = City.objects.get(slug="scale-samplebury")
    clinic = (
        Clinic.objects.listed()
        .filter(city__slug="london", is_sample=True)
        .select_related("city")
        .order_by("pk")
        .first()
    )
    article = Article.objects.published().exclude(slug__startswith="sample-guide-").first()
    training_class = (
        TrainingClass.objects.published().current().select_related("event").order_by("pk").first()
    )
    return {
        "country": reverse("clinics:country", args=[city.country_slug]),
        "city": city.get_absolute_url(),
        "clinic": clinic.get_absolute_url(),
        "article": article.get_absolute_url(),
        "training_class": training_class.get_absolute_url(),
        "static": staticfiles_storage.url("css/site.css"),
        "sitemap_page": reverse("sitemap-section", args=["clinics"]),
    }


def _spread(profiles: int, cities: int) -> dict[str, list[str]]:
    """Addresses drawn at random across the whole directory: `profiles` clinic pages and
    `cities` city pages (all of them where there are fewer). The same draw every run (a
    fixed seed), so that two runs compare the same addresses."""
    from clinics.models import City, Clinic

    draw = random.Random(23)
    clinic_ids = list(Clinic.objects.listed().order_by("pk").values_list("pk", flat=True))
    chosen = draw.sample(clinic_ids, min(profiles, len(clinic_ids)))
    city_ids = list(City.objects.with_listed_clinics().order_by("pk").values_list("pk", flat=True))
    chosen_cities = draw.sample(city_ids, min(cities, len(city_ids)))
    return {
        "profiles": [
            clinic.get_absolute_url()
            for clinic in Clinic.objects.filter(pk__in=chosen).select_related("city")
        ],
        "cities": [city.get_absolute_url() for city in City.objects.filter(pk__in=chosen_cities)],
    }


INBOX_CLINIC = "bench-inbox-studio"


def sent_requests(clinic, count: int) -> None:
    """`count` requests already sent to `clinic` (sample clients), in two statements: the
    bench's inbox, and the inbox's query-count test (tests/members/test_inbox.py)."""
    from django.utils import timezone

    from quotes.models import QuoteDelivery, QuoteRequest

    now = timezone.now()
    quotes = QuoteRequest.objects.bulk_create(
        QuoteRequest(
            name=f"Sample Client {n}",
            email=f"client{n}@example.org",
            city=clinic.city,
            status=QuoteRequest.Status.DISPATCHED,
            form_nonce=f"bulk-{clinic.pk}-{n}",
            dispatched_at=now,
        )
        for n in range(count)
    )
    QuoteDelivery.objects.bulk_create(
        QuoteDelivery(
            quote=quote,
            clinic=clinic,
            kind="artist",
            to_email=clinic.quote_email,
            status="sent",
            sent_at=now,
        )
        for quote in quotes
    )


def _inbox(count: int) -> dict:
    """A clinic with `count` requests sent to it and a signed-in owner: the inbox's address,
    the session cookie that opens it, and the queries it makes (counted as `_queries` does,
    with that session). Made once per database: a later run finds them."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client

    from clinics.models import Clinic
    from members.access import SESSION_CLINIC
    from members.models import ClinicMember
    from quotes.models import QuoteDelivery

    template = Clinic.objects.listed().select_related("city").order_by("pk").first()
    clinic = Clinic.objects.filter(slug=INBOX_CLINIC).first()
    if clinic is None:
        clinic = Clinic.objects.create(
            name="Bench Inbox Studio (sample data)",
            slug=INBOX_CLINIC,
            city=template.city,
            status=Clinic.Status.APPROVED,
            is_sample=True,
            quote_email="inbox@bench.example",
            address="1 Sample Street",
            currency=template.currency,
        )
        sent_requests(clinic, count)
        user = get_user_model().objects.create(
            username="bench-inbox-owner", email="owner@bench.example"
        )
        ClinicMember.objects.create(clinic=clinic, user=user, role=ClinicMember.Role.OWNER)
    member = ClinicMember.objects.select_related("user").get(clinic=clinic)
    session = SessionStore()
    session[SESSION_KEY] = str(member.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = member.user.get_session_auth_hash()
    session[SESSION_CLINIC] = clinic.pk
    session.create()
    path = reverse("inbox:list")
    client = Client(HTTP_HOST="127.0.0.1")
    key = session.session_key or ""
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    client.get(path)
    seen: list[str] = []

    def counted(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"the inbox answered {response.status_code}")
    return {
        "path": path,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={key}",
        "queries": len(seen),
        "requests": QuoteDelivery.objects.filter(clinic=clinic).count(),
    }


def _write_listings(period: float = 1.0) -> dict[str, int]:
    """Save a random approved clinic every `period` seconds while switched on: an admin's
    edit, for the bench's "under writes" runs.

    Driven through stdin, one command a line, each answered by one JSON line on stdout
    (the bench waits for the answer, so it knows when writes are under way):
    `on` saves one clinic at once and every `period` after it; `off` stops and answers the
    count; `quit` or the end of stdin ends the process. Paced by deadline: each save is due
    `period` after the one before was due, whatever a save took, and a save more than a
    period late is skipped rather than made up in a burst.
    """
    from django.db import transaction

    from clinics.models import Clinic

    draw = random.Random()
    clinic_ids = list(Clinic.objects.listed().values_list("pk", flat=True))

    def save_one() -> None:
        # As the admin's change form does: one transaction, a whole save, so the model's
        # signals (the page cache's version bump on commit among them) fire.
        with transaction.atomic():
            clinic = Clinic.objects.get(pk=draw.choice(clinic_ids))
            clinic.summary = clinic.summary
            clinic.save()

    def answer(message: dict) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    answer({"ready": len(clinic_ids)})
    saves = skipped = 0
    active = False
    due = 0.0
    while True:
        timeout = max(0.0, due - time.monotonic()) if active else None
        readable, _, _ = select.select([sys.stdin], [], [], timeout)
        if readable:
            command = sys.stdin.readline().strip()
            if command == "on":
                save_one()
                active, saves, skipped = True, 1, 0
                due = time.monotonic() + period
                answer({"on": True})
            elif command == "off":
                active = False
                answer({"saves": saves, "skipped": skipped})
            else:
                return {"saves": saves, "skipped": skipped}
            continue
        save_one()
        saves += 1
        due, missed = next_due(due, time.monotonic(), period)
        skipped += missed


def next_due(due: float, now: float, period: float) -> tuple[float, int]:
    """When the save after the one due at `due` is due, and how many saves that skips:
    one period later, or (a save that ran past it) the next deadline still ahead, so that a
    slow moment neither shifts every later save nor brings a burst of them."""
    due += period
    if now < due:
        return due, 0
    missed = int((now - due) // period) + 1
    return due + missed * period, missed


def _queries(paths: list[str]) -> dict[str, int]:
    """The database queries each page makes, uncached, once its process is warm.

    Counted around the whole request (middleware and all), by a wrapper on the
    connection: what `make bench`'s table shows and its smoke run guards.
    """
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for path in paths:
            client.get(path)  # per-process memos filled (the spelling corpus, sample check)
            seen: list[str] = []

            def count(execute, sql, params, many, context, seen=seen):
                seen.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            counts[path] = len(seen)
    return counts


def _sanitise(kind: str) -> dict:
    """Time and peak memory to sanitise a 15 MB photo, made by another process beforehand."""
    from common.photos import sanitise

    path = _bench_photo(kind)
    baseline_mb = _peak_rss_mb()
    started = time.perf_counter()
    with path.open("rb") as source:
        content, info = sanitise(source)
    seconds = time.perf_counter() - started
    peak_mb = _peak_rss_mb()
    return {
        "input": f"{path.stat().st_size / 1048576:.1f} MB {kind.upper()}",
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_over_baseline_mb": round(peak_mb - baseline_mb, 1),
        "output": f"{info.width}x{info.height} {info.format}, {content.size // 1024} KB",
    }


def _peak_rss_mb() -> float:
    """This process's peak memory (VmHWM). Not ru_maxrss: Linux carries a parent's peak
    into a child through fork and exec, so a big `manage.py bench` would inflate it."""
    status = Path("/proc/self/status").read_text()
    return int(found(r"VmHWM:\s+(\d+)", status)) / 1024


def _bench_photo(kind: str):
    """The benchmark's input photo, written once by a child process (so its memory isn't ours)."""
    import subprocess
    import sys

    from django.conf import settings

    path = settings.BASE_DIR / "var" / f"bench-photo.{kind}"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-c", _MAKE_PHOTO, kind, str(path)], check=True, cwd=settings.BASE_DIR
        )
    return path


# 15 MB each: a 24-megapixel JPEG of noise (padded), and an incompressible RGB PNG.
_MAKE_PHOTO = """
import os, sys
from PIL import Image
from tools.benchtools import jpeg_of_size
kind, path = sys.argv[1], sys.argv[2]
if kind == "jpeg":
    data = jpeg_of_size(15 * 1024 * 1024, size=(6000, 4000))
    open(path, "wb").write(data)
else:
    side = 2230
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, "PNG")
"""


def _fan_out() -> dict:
    """A `city` request to the city of 100 clinics, through the worker, until all is sent."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from clinics.models import City
    from quotes.models import QuoteDelivery, QuotePhoto, QuoteRequest
    from tools.benchtools import jpeg_of_size

    city = City.objects.get(slug="scale-samplebury")
    quote = QuoteRequest.objects.create(
        name="Bench Client",
        email="bench@client.example",
        city=city,
        mode="city",
        consent_at=timezone.now(),
    )
    photo = QuotePhoto(quote=quote, width=4000, height=3000, bytes=0, format="JPEG")
    photo.file.save("upload.jpg", ContentFile(jpeg_of_size(3 * 1024 * 1024)), save=False)
    photo.save()
    started = time.perf_counter()
    quote.enqueue_processing()
    done = ("sent", "delivered")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sent = QuoteDelivery.objects.filter(quote=quote, status__in=done).count()
        total = QuoteDelivery.objects.filter(quote=quote).count()
        if total and sent == total:
            break
        time.sleep(0.05)
    return {
        "recipients": total - 1,
        "emails_sent": sent,
        "seconds": round(time.perf_counter() - started, 2),
    }
