"""Every email table shares the outbox's ordering, sweeper index, `__str__` and queryset."""

import pytest
from django.db import connection

from outbox.models import OutgoingEmailQuerySet
from outbox.sending import outgoing_models
from pages.models import ContactEmail, ContactMessage
from quotes.models import QuoteDelivery

TABLES = sorted(outgoing_models(), key=lambda model: model._meta.label)


def test_there_are_ten_email_tables():
    assert [model._meta.label for model in TABLES] == [
        "applications.ApplicationEmail",
        "conversations.MessageEmail",
        "conversations.RefusalEmail",
        "credentials.CredentialEmail",
        "listing_changes.DecisionEmail",
        "members.MemberEmail",
        "pages.ContactEmail",
        "quotes.QuoteDelivery",
        "reviews.ReviewEmail",
        "training.EnquiryEmail",
    ]


def _due_index(model) -> str:
    """OutgoingEmail.Meta's name, or the table's own "<table>_due" where that one would
    pass the 30 characters Django allows (applications and credentials)."""
    name = f"{model._meta.app_label}_{model._meta.model_name}_due"
    return name if len(name) <= 30 else f"{model._meta.model_name}_due"


@pytest.mark.parametrize("model", TABLES, ids=lambda model: model._meta.label)
def test_each_table_has_the_outbox_meta_index_and_queryset(model):
    meta = model._meta
    # The sweeper's index first; a table may add its own after it (the clinic inbox's
    # on QuoteDelivery).
    index, *own = meta.indexes
    assert index.name == _due_index(model)
    assert index.fields == ["status", "next_attempt_at"]
    assert [i.name for i in own] == (["quote_delivery_inbox"] if model is QuoteDelivery else [])
    # Each table keeps its own name and its own constraints.
    assert meta.db_table == f"{meta.app_label}_{meta.model_name}"
    assert meta.constraints
    expected = ["kind", "id"] if model is QuoteDelivery else ["created_at", "id"]
    assert meta.ordering == expected
    assert isinstance(model.objects.all(), OutgoingEmailQuerySet)
    related = model.objects.for_sending().query.select_related
    assert related and model.sending_related


@pytest.mark.django_db
def test_the_sweeper_index_is_in_the_database():
    with connection.cursor() as cursor:
        for model in TABLES:
            table = model._meta.db_table
            names = connection.introspection.get_constraints(cursor, table)
            assert _due_index(model) in names, table


@pytest.mark.django_db
def test_a_row_says_its_kind_and_status():
    message = ContactMessage.objects.create(
        name="Robin", email="robin@client.example", message="Hi", form_nonce="n"
    )
    row = ContactEmail.objects.create(message=message, kind="receipt", to_email=message.email)
    assert str(row) == "Receipt, to the sender (pending)"
    assert list(ContactEmail.objects.pending().for_sending()) == [row]
