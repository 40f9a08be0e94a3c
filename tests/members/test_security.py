"""A member's optional password and authenticator app: each works, neither lets a
stranger learn who has an account, and with an app nothing is signed in before its code."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import ClinicMember
from tests.factories import ClinicFactory

from .support import last_link, member_of, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

SECURITY = "/clinic-account/security/"
PASSWORD = "/clinic-account/sign-in/password/"


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def member(client):
    membership = member_of(ClinicFactory(name="Alder Ink"), "ana@alder.example")
    sign_in(client, "ana@alder.example")
    return membership


def test_a_member_sets_a_password_and_signs_in_with_it(client, member):
    response = client.post(
        SECURITY,
        {
            "action": "password",
            "new_password1": "dots-and-lines-42",
            "new_password2": "dots-and-lines-42",
        },
    )
    assert response.status_code == 302
    client.post("/clinic-account/sign-out/")
    other = type(client)()
    signed = other.post(PASSWORD, {"email": "ANA@alder.example", "password": "dots-and-lines-42"})
    assert signed["Location"] == "/clinic-account/"
    assert other.get("/clinic-account/").status_code == 200


def test_a_wrong_password_and_an_unknown_address_read_the_same(client):
    member = member_of(ClinicFactory(), "ana@alder.example")
    member.user.set_password("dots-and-lines-42")
    member.user.save()
    wrong = client.post(PASSWORD, {"email": "ana@alder.example", "password": "nope-nope-nope"})
    nobody = client.post(PASSWORD, {"email": "zed@nowhere.example", "password": "nope-nope-nope"})
    assert wrong.status_code == nobody.status_code == 400
    message = "That email address and password don’t match a clinic account."
    assert message in wrong.content.decode() and message in nobody.content.decode()
    assert client.get("/clinic-account/").status_code == 302


def test_wrong_passwords_lock_the_address_from_that_connection(client, settings):
    member = member_of(ClinicFactory(), "ana@alder.example")
    member.user.set_password("dots-and-lines-42")
    member.user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(PASSWORD, {"email": "ana@alder.example", "password": "nope-nope-nope"})
    locked = client.post(PASSWORD, {"email": "ana@alder.example", "password": "dots-and-lines-42"})
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.content.decode()
    assert "emailed link" in locked.content.decode()
    assert client.get("/clinic-account/").status_code == 302


def test_an_authenticator_is_added_with_a_code_and_then_asked_for(client, member):
    client.post(SECURITY, {"action": "start"})
    page = client.get(SECURITY).content.decode()
    assert "<svg" in page and "Key:" in page
    device = TOTPDevice.objects.get(user=member.user)
    assert not device.confirmed
    bad = client.post(SECURITY, {"action": "confirm", "code": "000000"})
    assert bad.status_code == 400 and "That code is not right" in bad.content.decode()
    # Right after a wrong code django-otp asks for a moment's wait, and says so.
    too_soon = client.post(SECURITY, {"action": "confirm", "code": _code(device)})
    assert "Please wait a few seconds" in too_soon.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the wait is over
    assert client.post(SECURITY, {"action": "confirm", "code": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # The session that turned it on keeps going.
    assert client.get("/clinic-account/").status_code == 200

    # Next time, the link alone signs nobody in: the code does.
    other = type(client)()
    other.post("/clinic-account/sign-in/", {"email": "ana@alder.example"})
    response = other.post(last_link("ana@alder.example"))
    assert response["Location"] == "/clinic-account/sign-in/code/"
    assert other.get("/clinic-account/").status_code == 302
    assert other.post("/clinic-account/sign-in/code/", {"code": "000000"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    # The next code of the app (the one that turned it on is never taken twice).
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        done = other.post("/clinic-account/sign-in/code/", {"code": _code(device)})
        assert done["Location"] == "/clinic-account/"
        assert other.get("/clinic-account/").status_code == 200


def test_a_session_without_the_code_is_ended_once_an_app_is_added(client, member):
    # Another browser signed in before the app was added elsewhere.
    device = TOTPDevice.objects.create(user=member.user, name="app", confirmed=True)
    assert device.confirmed
    assert client.get("/clinic-account/")["Location"] == "/clinic-account/sign-in/"
    assert ClinicMember.objects.filter(pk=member.pk).exists()
