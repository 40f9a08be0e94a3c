"""Rows made before Message-IDs were given get theirs once, from each app's data migration
(NNNN_fill_message_ids), never on the send path; and every row survives the outbox's
migrations, forwards and back."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from applications.models import ApplicationEmail, ClinicApplication
from conversations.models import MessageEmail, RefusalEmail
from credentials.models import Credential, CredentialEmail
from listing_changes.models import DecisionEmail
from members.models import MemberEmail
from outbox import sending
from pages.models import ContactEmail, ContactMessage
from quotes.models import QuoteDelivery
from reviews.models import ReviewEmail, ReviewInvite
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote
from tests.training.factories import TrainingClassFactory
from training.models import Enquiry, EnquiryEmail

# Migrating backwards needs the schema editor outside a transaction on SQLite.
pytestmark = pytest.mark.django_db(transaction=True)

# Each email table's app, as it was just before its fill_message_ids migration.
BEFORE_FILL = [
    ("clinics", "0013_places_languages_hours_covers"),
    ("pages", "0004_trust_checks_in_site_pages"),
    ("quotes", "0007_message_ids"),
    ("reviews", "0001_initial"),
    ("training", "0003_message_ids"),
]


@pytest.fixture
def one_row_per_table():
    """A row in every email table (two in one), each as an old row was: no Message-ID."""
    city = CityFactory()
    clinic = ClinicFactory(city=city)
    quote = make_quote(city, clinic=clinic, mode="single", photos=0)
    application = ClinicApplication.objects.create(
        clinic=ClinicFactory(city=city, status="pending"),
        contact_name="Kim Owner",
        contact_email="kim@clinic.example",
        form_nonce="application",
    )
    message = ContactMessage.objects.create(
        name="Robin", email="robin@client.example", message="Hello", form_nonce="contact"
    )
    enquiry = Enquiry.objects.create(
        training_class=TrainingClassFactory(),
        name="Kim Artist",
        email="kim@artist.example",
        experience="1-3",
        message="Colour",
        submission_key="enquiry",
    )
    credential = Credential.objects.create(
        clinic=clinic, kind="licence", title="Licence", expires_on=date(2030, 1, 31)
    )
    invite = ReviewInvite.objects.create(
        quote=quote,
        clinic=clinic,
        stage="healed",
        asked_at=timezone.now(),
        chosen_at=timezone.now(),
        email=quote.email,
    )
    rows = [
        QuoteDelivery.objects.create(quote=quote, clinic=clinic, to_email="a@clinic.example"),
        ApplicationEmail.objects.create(
            application=application, kind="received", to_email="kim@clinic.example"
        ),
        CredentialEmail.objects.create(
            credential=credential,
            kind="expiring",
            expires_on=date(2030, 1, 31),
            to_email="a@clinic.example",
        ),
        ContactEmail.objects.create(message=message, kind="receipt", to_email=message.email),
        ContactEmail.objects.create(message=message, kind="staff", to_email="staff@smp.example"),
        EnquiryEmail.objects.create(enquiry=enquiry, kind="confirmation", to_email=enquiry.email),
        ReviewEmail.objects.create(invite=invite, kind="invite", to_email=invite.email),
    ]
    # Tables made after Message-IDs were given (members.MemberEmail, the listing decisions,
    # the conversations' emails) never had a row without one.
    made_later = {MemberEmail, DecisionEmail, MessageEmail, RefusalEmail}
    assert {type(row) for row in rows} == set(sending.outgoing_models()) - made_later
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(message_id_header="")
    return rows


def test_the_data_migrations_give_each_old_row_its_own_message_id_once(one_row_per_table):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_FILL)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    message_ids = []
    for row in one_row_per_table:
        stored = type(row).objects.get(pk=row.pk)  # still there, as it was
        assert (stored.to_email, stored.kind, stored.status) == (row.to_email, row.kind, "pending")
        assert stored.message_id_header.startswith("<")
        assert stored.message_id_header.endswith(">")
        message_ids.append(stored.message_id_header)
    assert len(set(message_ids)) == len(one_row_per_table)
