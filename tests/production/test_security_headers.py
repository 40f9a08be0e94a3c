"""Security headers on pages, HTTPS behind a proxy, and what the logs say about clients."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_a_page_carries_the_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("script-src", []) + csp["default-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def https_behind_proxy(settings):
    """What DEBUG=false with SECURE_PROXY_SSL_HEADER set gives (see test_deploy_settings)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_plain_http_is_redirected_to_https(client, https_behind_proxy):
    response = client.get("/clinics/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/clinics/"


def test_https_through_the_proxy_gets_hsts(client, https_behind_proxy):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_health_check_answers_plain_http_probes(client, https_behind_proxy):
    assert client.get("/healthz/").status_code == 200


def test_cookies_are_secure_and_http_only(client, https_behind_proxy):
    response = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]


def test_a_body_past_the_limit_is_refused(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/admin/login/", {"username": "x" * 2048, "password": "y"})
    assert response.status_code == 400


def test_a_404_is_logged_with_its_path_only(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/clinics/gb/nowhere/?email=sam@client.example&phone=07700900123")
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages == ["Not Found: /clinics/gb/nowhere/"]
    assert "sam@client.example" not in caplog.text


def test_a_refused_quote_logs_nothing_about_the_client(client, caplog):
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/quote/",
            {
                "name": "Sam Client",
                "email": "sam@client.example",
                "phone": "07700 900123",
                "message": "Thinning at the crown.",
                "website": "https://spam.example",  # the honeypot
            },
            REMOTE_ADDR="203.0.113.7",
        )
    assert response.status_code == 302
    for secret in ("Sam Client", "sam@client.example", "07700 900123", "203.0.113.7"):
        assert secret not in caplog.text
