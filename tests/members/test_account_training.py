"""Training a clinic organises, in its account: seats, enquiries (not the held ones),
and the seats page its emails link."""

import pytest

from tests.factories import ClinicFactory
from tests.training.factories import EventFactory, TrainingClassFactory
from training.models import Enquiry

from .support import member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

TRAINING = "/clinic-account/training/"


def _enquiry(training_class, name, **fields):
    return Enquiry.objects.create(
        training_class=training_class,
        name=name,
        email=f"{name.lower()}@artist.example",
        experience="some",
        submission_key=f"key-{name}",
        **fields,
    )


def test_an_organiser_sees_seats_and_enquiries_of_its_own_classes(client):
    clinic = ClinicFactory(name="Alder Ink")
    event = EventFactory(name="Alder Masterclass Day", organiser_clinic=clinic, organiser_name="")
    masterclass = TrainingClassFactory(event=event, title="Hairlines", seats=10, seats_taken=4)
    _enquiry(masterclass, "Robin")
    _enquiry(masterclass, "Held", held_reason="many messages from one connection")
    other = TrainingClassFactory(title="Someone else's class")
    _enquiry(other, "Stranger")
    member_of(clinic, "ana@alder.example")
    sign_in(client, "ana@alder.example")

    page = " ".join(client.get(TRAINING).content.decode().split())
    assert "Alder Masterclass Day" in page and "Seats: 4 of 10 taken." in page
    assert "Enquiries: 1." in page and "robin@artist.example" in page
    assert "Held" not in page and "Stranger" not in page and "Someone else" not in page
    assert "/training/seats/?key=" in page
    # The seats link from the account opens the organiser's seats page.
    link = page.split('href="/training/seats/?key=', 1)[1].split('"', 1)[0]
    seats = client.get("/training/seats/?key=" + link.replace("&amp;", "&"))
    assert seats.status_code == 200 and b"Hairlines" in seats.content
