import pytest
from django.urls import reverse

from quotes import pipeline
from quotes.models import QuoteDelivery, QuoteRequest
from tests.quotes.support import make_quote, stored_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent_quote(city, clinic):
    quote = make_quote(city, clinic=clinic, mode="single", photos=2)
    pipeline.process_quote(quote.pk)
    return quote


def test_the_list_shows_status_city_mode_photos_and_delivery_counts(admin_client, sent_quote):
    QuoteDelivery.objects.filter(quote=sent_quote, kind="artist").update(status="failed")
    response = admin_client.get(reverse("admin:quotes_quoterequest_changelist"))
    row = response.context["cl"].result_list[0]
    assert (row.photos_n, row.sent_n, row.failed_n) == (2, 0, 1)
    html = response.content.decode()
    assert sent_quote.reference in html and "Leeds" in html


def test_the_detail_is_read_only_with_signed_thumbnails_and_deliveries(admin_client, sent_quote):
    url = reverse("admin:quotes_quoterequest_change", args=[sent_quote.pk])
    html = admin_client.get(url).content.decode()
    assert html.count("/quote/photo/") == 4  # two thumbnails, each linked
    assert "aire@clinics.example" in html and "sam@client.example" in html
    assert 'name="_save"' not in html
    assert admin_client.get(reverse("admin:quotes_quoterequest_add")).status_code == 403


def test_staff_can_resend_failed_deliveries(admin_client, sent_quote, mailoutbox):
    QuoteDelivery.objects.filter(quote=sent_quote, kind="artist").update(status="failed")
    mailoutbox.clear()
    response = admin_client.post(
        reverse("admin:quotes_quoterequest_changelist"),
        {"action": "resend_failed", "_selected_action": [sent_quote.pk]},
        follow=True,
    )
    assert "Resending 1 email." in response.content.decode()
    assert [m.to for m in mailoutbox] == [["aire@clinics.example"]]
    assert QuoteDelivery.objects.get(quote=sent_quote, kind="artist").status == "sent"


def test_deleting_a_request_in_admin_erases_its_photos(admin_client, sent_quote, private_dir):
    assert len(stored_files(private_dir)) == 2
    response = admin_client.post(
        reverse("admin:quotes_quoterequest_changelist"),
        {"action": "delete_selected", "_selected_action": [sent_quote.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert not QuoteRequest.objects.exists() and not QuoteDelivery.objects.exists()
    assert stored_files(private_dir) == []
