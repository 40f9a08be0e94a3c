"""Help texts and errors are tied to their inputs, so screen readers announce them."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from quotes import pipeline
from quotes.links import reply_path
from tests.factories import ClinicFactory
from tests.quotes.support import form_token, make_quote

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (element's name or id, referenced id)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for ref in (attrs.get("aria-describedby") or "").split():
            self.described.append((attrs.get("name") or attrs.get("id") or tag, ref))


def _dangling(html: str) -> list[tuple[str, str]]:
    parser = _Ids()
    parser.feed(html)
    return [(element, ref) for element, ref in parser.described if ref not in parser.ids]


def _described(html: str, name: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [ref for element, ref in parser.described if element == name]


def test_every_description_on_a_form_with_errors_exists(client):
    clinic = ClinicFactory()
    response = client.post(
        reverse("quotes:request"),
        {
            "clinic": clinic.pk,
            "city": clinic.city_id,
            "email": "not an address",
            "form_token": form_token(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "field-error" in html
    assert _dangling(html) == []
    # The email field's help and its error are both announced.
    assert _described(html, "email") == ["id_email_helptext", "id_email_error"]
    assert re.search(
        r'id="id_email_error"[^>]*>.*Enter an email address like name@example\.com', html, re.S
    )


def test_the_application_form_links_its_help_and_errors(client):
    response = client.post(reverse("applications:apply"), {"form_token": form_token()})
    html = response.content.decode()
    assert _dangling(html) == []
    assert "id_photos_error" in _described(html, "photos")
    assert _described(html, "quote_email") == ["id_quote_email_helptext", "id_quote_email_error"]


def test_the_reply_form_links_its_help_and_errors(client):
    clinic = ClinicFactory(quote_email="a@clinics.example")
    quote = make_quote(clinic.city, clinic=clinic, mode="single")
    pipeline.process_quote(quote.pk)
    path = reply_path(quote.deliveries.get(kind="artist").pk)
    html = client.post(path, {"price_min": "abc"}).content.decode()
    assert "field-error" in html
    assert _dangling(html) == []
