"""Every form takes an email address the same way: one mailbox on the public internet,
which every mail system reads as that one address (it goes into To: and Reply-To:)."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.intake import ClinicApplicationForm
from common.validators import PlainEmailValidator
from pages.forms import ContactForm
from quotes.forms import QuoteForm
from quotes.reply_views import NewLinkForm
from tests.quotes.support import form_token
from tests.training.factories import TrainingClassFactory
from training.admin import EventForm
from training.forms import EnquiryForm
from training.models import Enquiry

pytestmark = pytest.mark.django_db

MESSAGE = "Enter an email address like name@example.com."
REFUSED = [
    '"x,evil@attacker.example"@example.org',  # a quoted local part: two addresses to a reader
    '"sam"@example.org',
    "a@localhost",
    "a@[127.0.0.1]",
    "a@[IPv6:::1]",
    "a@intranet",  # a single-label domain
    "a@example.org, b@example.org",
    "Sam <a@example.org>",
    "a(comment)@example.org",
    "=?utf-8?q?a=40evil.example?=@example.org",
]
ACCEPTED = ["sam@client.example", "o'brien+smp@mail.example.co.uk", "kim@bücher.example"]

# Every form that takes an address, and the field it takes it in.
FORMS = {
    "quote request": (QuoteForm, "email"),
    "contact": (ContactForm, "email"),
    "training enquiry": (EnquiryForm, "email"),
    "clinic application: applicant": (ClinicApplicationForm, "contact_email"),
    "clinic application: quote address": (ClinicApplicationForm, "quote_email"),
    "new comparison link": (NewLinkForm, "email"),
    "staff: an event's organiser": (EventForm, "organiser_email"),
}


def _field(name: str) -> forms.Field:
    form_class, field = FORMS[name]
    kwargs = {"training_class": None} if form_class is EnquiryForm else {}
    return form_class(**kwargs).fields[field]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("address", REFUSED)
def test_every_form_refuses_an_address_mail_systems_could_read_another_way(form, address):
    with pytest.raises(ValidationError) as refused:
        _field(form).clean(address)
    assert refused.value.messages == [MESSAGE]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("address", ACCEPTED)
def test_every_form_takes_a_real_address(form, address):
    assert _field(form).clean(address) == address


def _project_form_classes() -> list[type[forms.BaseForm]]:
    root = Path(__file__).resolve().parents[2]
    ours = [c for c in apps.get_app_configs() if Path(c.path).parent == root]
    for config in ours:
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, pending = [], list(forms.BaseForm.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in {c.name for c in ours}:
            found.append(cls)
    return found


def test_no_form_takes_an_address_without_the_shared_validator():
    """A form added later with an email field gets the same rule, or this test says so."""
    email_fields = {
        f"{cls.__module__}.{cls.__qualname__}.{name}": field
        for cls in _project_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.EmailField)
    }
    assert len(email_fields) >= len(FORMS)
    unchecked = [
        name
        for name, field in email_fields.items()
        if not any(isinstance(v, PlainEmailValidator) for v in field.validators)
    ]
    assert unchecked == []


def test_a_training_enquiry_from_a_quoted_address_is_refused_and_nothing_is_sent(client):
    training_class = TrainingClassFactory()
    url = reverse("training:enquire", args=[training_class.event.slug, training_class.slug])
    response = client.post(
        url,
        {
            "name": "Kim Artist",
            "email": '"x,evil@attacker.example"@example.org',
            "experience": "1-3",
            "message": "I would love to learn colour theory.",
            "form_token": form_token(),
            "leave_blank": "",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Enquiry.objects.exists() and mail.outbox == []
