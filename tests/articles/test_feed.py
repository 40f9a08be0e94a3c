import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client):
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_the_feed_lists_published_articles_newest_first(client):
    now = timezone.now()
    old = ArticleFactory(title="Older", published_at=now - timedelta(days=5))
    new = ArticleFactory(title="Newer & better", published_at=now - timedelta(days=1))
    entries = _entries(client)
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer & better", "Older"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver{new.get_absolute_url()}"
    assert first.findtext(f"{ATOM}published") == new.published_at.isoformat()
    assert first.findtext(f"{ATOM}updated") == new.updated_at.isoformat()
    assert first.findtext(f"{ATOM}author/{ATOM}name") == new.author_name
    assert first.find(f"{ATOM}category").get("term") == new.category.name
    assert old.summary in entries[1].findtext(f"{ATOM}summary")


def test_the_feed_leaves_out_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Public")
    ArticleFactory(title="Draft", draft=True)
    ArticleFactory(title="Scheduled", scheduled=True)
    assert [e.findtext(f"{ATOM}title") for e in _entries(client)] == ["Public"]


def test_pages_advertise_the_feed(client):
    html = client.get(reverse("articles:list")).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
