import pytest
from django.core.management import call_command, get_commands


def test_the_tools_app_brings_the_bench_and_lighthouse_commands():
    commands = get_commands()
    for name in ("bench", "bench_pipeline", "lighthouse"):
        assert commands[name] == "tools", name


@pytest.mark.django_db(transaction=True)
def test_run_schedule_does_what_beat_would_under_make_run(settings, mailoutbox):
    """Without Redis there is no beat: `make run` runs the schedule beside the site."""
    from datetime import timedelta

    from django.utils import timezone

    from quotes import pipeline
    from quotes.models import QuoteReply
    from tests.factories import ClinicFactory
    from tests.quotes.support import make_quote

    clinic = ClinicFactory(quote_email="artist@clinics.example")
    quote = make_quote(clinic.city, clinic=clinic, mode="single")
    pipeline.process_quote(quote.pk)
    QuoteReply.objects.create(
        delivery=quote.deliveries.get(kind="artist"), currency="GBP", price_min=1, price_max=2
    )
    QuoteReply.objects.update(updated_at=timezone.now() - timedelta(minutes=20))
    mailoutbox.clear()
    call_command("run_schedule", "--once")
    assert [m.to for m in mailoutbox] == [[quote.email]]
    assert "sent a price" in mailoutbox[0].body


def test_the_bench_uses_databases_of_its_own_on_postgresql(monkeypatch):
    from tools.management.commands import bench

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_main")
    server = bench._postgres_url()
    assert server == "postgres://postgres@127.0.0.1:5432/wt_main"
    site = bench.Site(10_000, None, server)
    assert site.env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/wt_main_bench_10000"
    # Production's database settings, whatever the developer's environment says.
    monkeypatch.setenv("CONN_MAX_AGE", "0")
    assert "CONN_MAX_AGE" not in bench.Site(100, None, server).env
    assert site.engine == "postgresql"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/db.sqlite3")
    assert bench._postgres_url() is None
    assert bench.Site(100, None).env["DATABASE_URL"].endswith("var/bench-100.sqlite3")
