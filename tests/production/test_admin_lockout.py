"""django-axes: the admin login locks a username from one IP after too many failures."""

import logging

import pytest

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-staff-password-9431"


@pytest.fixture
def staff(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    return django_user_model.objects.create_superuser("editor", "editor@smp.example", PASSWORD)


def _login(client, password, **meta):
    return client.post(LOGIN, {"username": "editor", "password": password}, **meta)


def _fail_until_locked(client, settings, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong-password", **meta)


def test_the_right_password_is_refused_once_locked(client, settings, staff):
    _fail_until_locked(client, settings, REMOTE_ADDR="203.0.113.7")

    response = _login(client, PASSWORD, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, settings, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong-password", REMOTE_ADDR="203.0.113.7")
    response = _login(client, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_another_ip_is_not_locked(client, settings, staff):
    _fail_until_locked(client, settings, REMOTE_ADDR="203.0.113.7")

    response = _login(client, PASSWORD, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_behind_a_proxy_the_lock_follows_the_forwarded_client_ip(client, settings, staff):
    """Every request arrives from the proxy's address; X-Forwarded-For tells clients apart."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail_until_locked(client, settings, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)

    locked = _login(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    other = _login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)

    assert locked.status_code == 429
    assert other.status_code == 302


def test_the_lockout_log_names_neither_the_ip_nor_the_username(client, settings, staff, caplog):
    with caplog.at_level(logging.INFO):
        _fail_until_locked(client, settings, REMOTE_ADDR="203.0.113.7")
    assert "locking out" in caplog.text.lower()
    assert "203.0.113.7" not in caplog.text
    assert "editor" not in caplog.text
