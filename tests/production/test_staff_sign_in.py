"""Admin sign-in for staff who hold clients' photos: two-factor codes (required in
production), idle sessions, a lockout per username and address, and long passwords."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-staff-password-9431"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@smp.example", PASSWORD)


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="Phone", confirmed=True)


def _code(device) -> str:
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def _login(client, password=PASSWORD, code="", **meta):
    data = {"username": "editor", "password": password, "otp_token": code}
    return client.post(LOGIN, data, **meta)


def test_the_sign_in_page_asks_for_a_code_for_those_who_have_one(client):
    page = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in page and 'autocomplete="one-time-code"' in page


def test_staff_without_an_authenticator_sign_in_with_their_password(client, staff):
    response = _login(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_staff_with_an_authenticator_must_give_its_code(client, device):
    missing = _login(client)
    assert missing.status_code == 200
    assert "Please enter the code from your authenticator app." in missing.content.decode()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        wrong = _login(client, code="000000" if _code(device) != "000000" else "111111")
        assert "That authentication code is not right" in wrong.content.decode()
        too_soon = _login(client, code=_code(device))
        assert "Too many wrong codes in a row" in too_soon.content.decode()
        assert "_auth_user_id" not in client.session
        clock.move_to(start + timedelta(seconds=31))  # past the wait, and a new code
        right = _login(client, code=_code(device))
        assert right.status_code == 302 and right["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


def test_a_wrong_password_says_nothing_about_codes(client, device):
    response = _login(client, password="wrong-password", code=_code(device))
    text = response.content.decode()
    assert "enter the correct username and password" in text
    assert "authentication code is not right" not in text


def test_when_required_staff_without_an_authenticator_are_kept_out(
    client, django_user_model, settings
):
    settings.ADMIN_2FA_REQUIRED = True
    staff = django_user_model.objects.create_user(
        "editor", "editor@smp.example", PASSWORD, is_staff=True
    )
    response = _login(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert "requires two-factor sign-in" in text and "ask an administrator" in text
    client.force_login(staff)  # a session from before the setting: not verified
    assert client.get("/admin/").status_code == 302


def test_a_superuser_without_an_authenticator_is_shown_how_to_add_one(client, staff, settings):
    """The first run: nobody else could add one, so the page names the command."""
    settings.ADMIN_2FA_REQUIRED = True
    response = _login(client)
    text = response.content.decode()
    assert "python manage.py add_totp_device editor" in text
    assert "ask an administrator" not in text
    assert "_auth_user_id" not in client.session


def test_when_required_a_verified_sign_in_opens_the_admin(client, device, settings):
    settings.ADMIN_2FA_REQUIRED = True
    assert _login(client, code=_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_session_ends_after_the_idle_time_and_activity_keeps_it(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _login(client)
        clock.move_to(start + timedelta(hours=7))
        assert client.get("/admin/").status_code == 200  # busy: the 8 hours start again
        clock.move_to(start + timedelta(hours=14))
        assert client.get("/admin/").status_code == 200
        clock.move_to(start + timedelta(hours=22, minutes=1))
        assert client.get("/admin/").status_code == 302  # 8 idle hours: signed out


def test_a_stranger_s_failures_do_not_lock_staff_out_elsewhere(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT * 5):  # one address, many guesses
        _login(client, password="guess", REMOTE_ADDR="198.51.100.7")
    assert _login(client, REMOTE_ADDR="198.51.100.7").status_code == 429
    for n in range(30):  # and many addresses, a few guesses each
        _login(client, password="guess", REMOTE_ADDR=f"192.0.2.{n}")
    response = _login(client, REMOTE_ADDR="203.0.113.99")  # the staff member, at work
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_one_ipv6_client_is_locked_whichever_address_of_its_64_it_uses(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, password="guess", REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    assert _login(client, REMOTE_ADDR="2001:db8:1:2::ff").status_code == 429
    assert _login(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


@pytest.mark.parametrize("password", ["short-9431", "abcdefghijk", "password1234", "1234567890123"])
def test_passwords_are_long_and_not_common(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("river-coffee-lantern-72")


def test_an_administrator_adds_an_authenticator_from_the_command_line(staff, capsys):
    call_command("add_totp_device", "editor")
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and "secret=" in out
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


def test_a_superuser_signed_in_before_2fa_was_required_is_shown_the_command(
    client, staff, settings
):
    """Not only "this account may not use this page": the exact command to run."""
    settings.ADMIN_2FA_REQUIRED = True
    client.force_login(staff)  # a session from before the setting: not verified
    response = client.get("/admin/", follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert "python manage.py add_totp_device editor" in text
    assert "docker compose run --rm web python manage.py add_totp_device editor" in text
    assert "ask an administrator" not in text and "may not use this page" not in text
