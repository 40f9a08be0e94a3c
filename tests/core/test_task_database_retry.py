"""A task that meets a database briefly away (issue 26) is tried again after seconds, not
failed until a sweeper's next round; a second try, once the database is back, does the
work."""

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection

from quotes import tasks
from quotes.models import QuoteRequest
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_that_meets_the_database_away_is_tried_again_in_seconds(
    django_capture_on_commit_callbacks,
):
    if connection.vendor != "postgresql":
        pytest.skip("a server that goes away needs PostgreSQL (DATABASE_URL)")
    city = CityFactory(name="Leeds", slug="leeds")
    ClinicFactory(city=city, quote_email="aire@clinics.example")
    quote = make_quote(city)
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # the database restarting
    try:
        # Eager here: a worker would run the retry after its countdown.
        with pytest.raises(Retry) as retry:
            tasks.process_quote.apply(args=[quote.pk], throw=True)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert "OperationalError" in str(retry.value)
    assert 0 <= retry.value.when <= 2  # seconds, not the sweeper's minutes

    # The database back, the retry does the work, once.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.process_quote.apply(args=[quote.pk], throw=True)
    assert QuoteRequest.objects.get(pk=quote.pk).status == "dispatched"
    assert sorted(m.to[0] for m in mail.outbox) == ["aire@clinics.example", "sam@client.example"]
