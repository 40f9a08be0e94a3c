import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_site(settings, tmp_path):
    """Each test gets its own media folder, plain static storage and an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        # The manifest storage needs collectstatic first; tests don't run it.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Off by default so each test sees its own data changes; tests/core/test_page_cache.py
    # turns it on.
    settings.PAGE_CACHE_ENABLED = False
    from django.core.cache import cache

    from smp_site.page_cache import local_pages

    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()
