"""The favicon set and the web manifest answer where browsers look for them."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_favicon_ico_at_the_root_answers_with_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/icons/favicon.ico")
    assert finders.find("img/icons/favicon.ico")
    assert client.head("/favicon.ico").status_code == 301


def test_the_web_manifest_names_the_site_and_icons_that_exist(client):
    response = client.get("/site.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "SMP Clinic Finder"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix(static(""))
        assert finders.find(name), icon["src"]


@pytest.mark.django_db
def test_every_page_links_the_icons_the_manifest_and_the_preloaded_font(client):
    html = client.get("/").content.decode()
    for href in (
        static("img/icons/favicon.ico"),
        static("img/logo-mark.svg"),
        static("img/icons/apple-touch-icon.png"),
        "/site.webmanifest",
    ):
        assert f'href="{href}"' in html, href
    assert 'rel="preload"' in html and ".woff2" in html and "crossorigin" in html


def test_the_font_is_vendored_with_its_licence():
    assert finders.find("fonts/atkinson-hyperlegible-next/OFL.txt")
    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    # Every url() in the stylesheet is relative to the site; nothing is imported.
    assert "@import" not in css
    urls = [part.split(")")[0].strip("'\"") for part in css.split("url(")[1:]]
    assert urls and all(url.startswith("../") for url in urls), urls
