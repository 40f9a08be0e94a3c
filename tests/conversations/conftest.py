"""The fixtures of the conversation tests (the browser test takes `inbound_webhook` too)."""

import importlib

import pytest
from django.urls import clear_url_caches

from quotes import pipeline
from quotes.models import QuoteDelivery
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote

from .support import PHONE, RELAY_DOMAIN, SIGNING_KEY


@pytest.fixture
def inbound_webhook(settings):
    """The inbound webhook is mounted only with Mailgun's signing key: reload the URLs."""
    import smp_site.urls

    settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    settings.RELAY_EMAIL_DOMAIN = RELAY_DOMAIN
    importlib.reload(smp_site.urls)
    clear_url_caches()
    yield
    settings.ANYMAIL = {
        k: v for k, v in settings.ANYMAIL.items() if k != "MAILGUN_WEBHOOK_SIGNING_KEY"
    }
    importlib.reload(smp_site.urls)
    clear_url_caches()


@pytest.fixture
def asked(settings, django_capture_on_commit_callbacks):
    """A client in Leeds asked every artist there (three): dispatched, emails sent."""
    settings.RELAY_EMAIL_DOMAIN = RELAY_DOMAIN
    city = CityFactory(name="Leeds", slug="leeds")
    clinics = [
        ClinicFactory(city=city, name=name, quote_email=f"{slug}@clinics.example")
        for name, slug in (
            ("Aire Ink", "aire"),
            ("Briggate SMP", "briggate"),
            ("Calls Studio", "calls"),
        )
    ]
    quote = make_quote(city, mode="city", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.process_quote(quote.pk)
    deliveries = {
        d.clinic.name: d for d in QuoteDelivery.objects.filter(quote=quote, kind="artist")
    }
    assert len(deliveries) == 3
    return quote, clinics, deliveries
