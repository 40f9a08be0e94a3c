"""collectstatic with production settings, and whitenoise's cache headers on what it wrote."""

import re

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from smp_site.static_files import StaticFilesStorage
from tests.production.conftest import production_env, run_python

TEN_YEARS = 10 * 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("static")
    root = tmp / "staticfiles"
    env = production_env(tmp, STATIC_ROOT=str(root))
    result = run_python(["manage.py", "collectstatic", "--noinput"], env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def manifest_static(settings, static_root):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "smp_site.static_files.StaticFilesStorage"},
    }
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    return static_root


def test_collectstatic_writes_hashed_and_compressed_files(static_root):
    assert (static_root / "staticfiles.json").is_file()
    hashed = [p.name for p in (static_root / "css").glob("site.*")]
    assert any(re.fullmatch(r"site\.[0-9a-f]{12}\.css", name) for name in hashed)
    assert any(name.endswith(".css.gz") for name in hashed)


@pytest.mark.django_db
def test_pages_link_hashed_names_which_are_cached_for_years(client, manifest_static):
    page = client.get("/").content.decode()
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert match, "the page should link the hashed stylesheet"

    response = client.get(match.group(1))
    assert response.status_code == 200
    assert response["Cache-Control"] == f"max-age={TEN_YEARS}, public, immutable"


def test_unhashed_names_get_the_short_max_age(client, manifest_static, settings):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == f"max-age={settings.WHITENOISE_MAX_AGE}, public"


def test_each_address_is_the_one_whitenoise_gives_and_a_missing_file_is_never_kept(
    manifest_static,
):
    ours = StaticFilesStorage(location=manifest_static, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=manifest_static, base_url="/static/")
    for name in ("css/site.css", "img/logo-mark.svg", "js/search_suggest.js"):
        assert ours.url(name) == theirs.url(name) != f"/static/{name}"
        assert ours.url(name) == theirs.url(name)  # the second time, from what was kept
    for _ in range(2):  # a name the manifest lacks fails loudly each time, as whitenoise's
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("css/not-there.css")
