"""Reply-time figures on clinic profiles and quoted-price figures on city pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinics.models import City, Clinic
from quotes.models import QuoteDelivery, QuoteReply
from quotes.stats import update_city_prices, update_response_stats
from tests.factories import ClinicFactory
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db


def _delivery(clinic, city, *, sent_hours_ago=48, reply_after_hours=None, price=None, **reply):
    quote = make_quote(city, clinic=clinic, mode="single", photos=0)
    sent_at = timezone.now() - timedelta(hours=sent_hours_ago)
    delivery = QuoteDelivery.objects.create(
        quote=quote, clinic=clinic, to_email=clinic.quote_email, status="sent", sent_at=sent_at
    )
    if reply_after_hours is not None:
        created = QuoteReply.objects.create(
            delivery=delivery,
            currency=reply.pop("currency", "GBP"),
            price_min=price[0] if price else None,
            price_max=price[1] if price else None,
            declined=price is None,
            **reply,
        )
        QuoteReply.objects.filter(pk=created.pk).update(
            created_at=sent_at + timedelta(hours=reply_after_hours)
        )
    return delivery


def test_response_figures_match_the_replies(client, city):
    clinic = ClinicFactory(city=city)
    for hours in (2, 4, 30):
        _delivery(clinic, city, reply_after_hours=hours, price=(1000, 1200))
    _delivery(clinic, city)  # no reply
    _delivery(clinic, city)  # no reply
    update_response_stats()
    clinic.refresh_from_db()
    assert (clinic.reply_rate, clinic.median_reply_hours) == (0.6, 4.0)
    html = client.get(clinic.get_absolute_url()).content.decode()
    assert "Replies to 60% of quote requests, usually within 4 hours (last 90 days)." in html


def test_no_response_figures_below_five_requests_or_outside_90_days(client, city):
    clinic = ClinicFactory(city=city)
    for _ in range(4):
        _delivery(clinic, city, reply_after_hours=1, price=(900, 1100))
    _delivery(clinic, city, sent_hours_ago=24 * 100, reply_after_hours=1, price=(900, 1100))
    update_response_stats()
    clinic.refresh_from_db()
    assert clinic.reply_rate is None
    assert "quote requests" not in client.get(clinic.get_absolute_url()).content.decode()


def test_city_prices_appear_only_past_the_thresholds_and_match_the_replies(client, city):
    a, b, c = (ClinicFactory(city=city) for _ in range(3))
    for clinic, price in [
        (a, (1000, 1200)),
        (a, (1200, 1400)),
        (b, (1400, 1600)),
        (b, (1600, 1800)),
    ]:
        _delivery(clinic, city, reply_after_hours=1, price=price)
    update_city_prices()
    assert City.objects.get(pk=city.pk).quoted_prices == {}  # 4 replies from 2 clinics
    assert "What artists quoted" not in client.get(city.get_absolute_url()).content.decode()

    _delivery(c, city, reply_after_hours=1, price=(1800, 2000))
    update_city_prices()
    figures = City.objects.get(pk=city.pk).quoted_prices
    # Midpoints 1100, 1300, 1500, 1700, 1900: median 1500, middle half 1300 to 1700.
    assert figures == {
        "GBP": {"median": 1500, "low": 1300, "high": 1700, "replies": 5, "clinics": 3}
    }
    html = client.get(city.get_absolute_url()).content.decode()
    # Prices as people read them, as everywhere else (common/money.py).
    assert "Median <strong>£1,500</strong>" in html and "from £1,300 to £1,700" in html


def test_each_currency_stands_on_its_own(city):
    clinics = [ClinicFactory(city=city) for _ in range(3)]
    for n, clinic in enumerate(clinics * 2):
        _delivery(clinic, city, reply_after_hours=1, price=(1000 + n * 10, 1100), currency="GBP")
    _delivery(clinics[0], city, reply_after_hours=1, price=(2000, 2500), currency="EUR")
    update_city_prices()
    assert set(City.objects.get(pk=city.pk).quoted_prices) == {"GBP"}


def test_declines_are_not_prices(city):
    for clinic in [ClinicFactory(city=city) for _ in range(5)]:
        _delivery(clinic, city, reply_after_hours=1)  # declined
    update_city_prices()
    assert City.objects.get(pk=city.pk).quoted_prices == {}
    assert Clinic.objects.filter(reply_rate__isnull=False).count() == 0


def test_quick_replies_lift_a_clinic_in_the_recommended_order(client, city):
    slow = ClinicFactory(city=city, name="Aardvark Scalp")
    quick = ClinicFactory(city=city, name="Zed Scalp")
    for clinic, hours in ((slow, 100), (quick, 2)):
        for _ in range(5):
            _delivery(clinic, city, sent_hours_ago=200, reply_after_hours=hours, price=(900, 1100))
    update_response_stats()
    response = client.get(city.get_absolute_url())
    assert [c.name for c in response.context["page"]] == ["Zed Scalp", "Aardvark Scalp"]
