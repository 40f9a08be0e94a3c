import pytest
from django.urls import reverse

from quotes import pipeline
from quotes.models import QuoteDelivery, QuoteRequest
from tests.quotes.support import make_quote, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the code defers to transaction.on_commit (enqueued sends, file deletions)
    at the end of the block, as the commit of a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sent_quote(city, clinic, commit):
    quote = make_quote(city, clinic=clinic, mode="single", photos=2)
    with commit():
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


def test_staff_can_resend_failed_deliveries(admin_client, sent_quote, mailoutbox, commit):
    QuoteDelivery.objects.filter(quote=sent_quote, kind="artist").update(status="failed")
    mailoutbox.clear()
    with commit():
        response = admin_client.post(
            reverse("admin:quotes_quoterequest_changelist"),
            {"action": "resend_failed", "_selected_action": [sent_quote.pk]},
            follow=True,
        )
    assert "Resending 1 email." in response.content.decode()
    assert [m.to for m in mailoutbox] == [["aire@clinics.example"]]
    assert QuoteDelivery.objects.get(quote=sent_quote, kind="artist").status == "sent"


def test_deleting_a_request_in_admin_erases_its_photos(
    admin_client, sent_quote, private_dir, commit
):
    assert len(stored_files(private_dir)) == 2
    with commit():
        response = admin_client.post(
            reverse("admin:quotes_quoterequest_changelist"),
            {"action": "delete_selected", "_selected_action": [sent_quote.pk], "post": "yes"},
            follow=True,
        )
    assert response.status_code == 200
    assert not QuoteRequest.objects.exists() and not QuoteDelivery.objects.exists()
    assert stored_files(private_dir) == []


def test_the_list_says_what_the_client_decided(admin_client, sent_quote, city):
    from quotes.models import QuoteReply

    closed = make_quote(city)
    pipeline.process_quote(closed.pk)
    closed.close()
    erased = make_quote(city)
    pipeline.process_quote(erased.pk)
    erased.erase()
    delivery = sent_quote.deliveries.get(kind="artist")
    sent_quote.choose(
        QuoteReply.objects.create(delivery=delivery, currency="GBP", price_min=1, price_max=2)
    )
    rows = {
        row.reference: row
        for row in admin_client.get(reverse("admin:quotes_quoterequest_changelist"))
        .context["cl"]
        .result_list
    }
    from quotes.admin import QuoteRequestAdmin

    decision = QuoteRequestAdmin.decision
    assert decision(None, rows[sent_quote.reference]) == "Chose an artist"
    assert decision(None, rows[closed.reference]) == "Closed"
    assert decision(None, rows[erased.reference]) == "Erased"


def test_staff_release_a_held_request_in_one_click(admin_client, city, clinic, mailoutbox, commit):
    quote = make_quote(city, clinic=clinic, mode="single")
    quote.hold("hidden field autofilled", until=None)
    page = admin_client.get(reverse("admin:quotes_quoterequest_change", args=[quote.pk]))
    assert "Release: send it to the artists now" in page.content.decode()
    with commit():
        response = admin_client.post(
            reverse("admin:quotes_quoterequest_release", args=[quote.pk]), follow=True
        )
    assert "Released 1 request: it is on its way to the artists." in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == "dispatched"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([clinic.quote_email, quote.email])
    # A GET changes nothing.
    assert (
        admin_client.get(reverse("admin:quotes_quoterequest_release", args=[quote.pk])).status_code
        == 405
    )


def test_a_held_request_goes_out_by_itself_once_its_wait_is_over(city, clinic, mailoutbox, commit):
    from datetime import timedelta

    from django.utils import timezone

    quote = make_quote(city, clinic=clinic, mode="single")
    quote.hold("sent very fast", until=timezone.now() + timedelta(minutes=30))
    assert pipeline.release_held_requests() == 0 and mailoutbox == []
    with commit():
        assert pipeline.release_held_requests(timezone.now() + timedelta(minutes=31)) == 1
    assert len(mailoutbox) == 2


def test_spam_traces_and_old_requests_personal_data_are_purged(city, clinic, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.QUOTE_SPAM_RETENTION_DAYS = 30
    settings.QUOTE_REQUEST_RETENTION_DAYS = 365
    spam = QuoteRequest.objects.create(name="Bot", email="b@x.example", status="spam")
    old = make_quote(city, clinic=clinic, mode="single")
    recent = make_quote(city, clinic=clinic, mode="single")
    QuoteRequest.objects.filter(pk=spam.pk).update(created_at=timezone.now() - timedelta(days=31))
    QuoteRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    assert pipeline.purge_spam() == 1
    assert pipeline.erase_old_requests() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.name, old.email) == ("erased", "", "")
    assert recent.name == "Sam Client"
