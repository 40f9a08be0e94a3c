"""Whole-page cache for anonymous visitors, in two tiers, invalidated by a site-wide version.

1. A small LRU in each web process: the fastest answer, no network.
2. The shared cache (Redis in production), so a page rendered by one process serves all.

Both are keyed by a content version kept in the shared cache. Saving or deleting any
model that public pages show bumps it (see `connect_invalidation`), so every process
sees a staff edit on its very next request; old entries simply stop being asked for.

Pages with a form are cached with placeholders where the CSRF token and the quote
form's one-time token go, filled in fresh for each visitor. Nothing personal is
cached: visitors with a session cookie (staff) always get a fresh page.
"""

import re
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "page-cache:version"
CSRF_PLACEHOLDER = "__CSRF_TOKEN_PLACEHOLDER__"
FORM_TOKEN_PLACEHOLDER = "__FORM_TOKEN_PLACEHOLDER__"
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_FORM_TOKEN_VALUE = re.compile(r'(name="form_token" value=")[^"]*(")')


class _LocalPages:
    """A bounded, thread-safe LRU of rendered pages for this process."""

    def __init__(self):
        self._entries: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, page = entry
            if expires < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return page

    def set(self, key: str, page: dict) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + settings.PAGE_CACHE_SECONDS, page)
            self._entries.move_to_end(key)
            while len(self._entries) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_pages = _LocalPages()


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_version(**kwargs) -> None:
    """Make every cached page stale, in every process (a signal receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from the old
        cache.set(VERSION_KEY, int(time.time()), timeout=None)


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _key(request, version: int) -> str:
    return f"page:{version}:{request.scheme}://{request.get_host()}{request.get_full_path()}"


def _store(response: HttpResponse) -> dict:
    content = response.content.decode(response.charset)
    content = _CSRF_VALUE.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", content)
    content = _FORM_TOKEN_VALUE.sub(rf"\g<1>{FORM_TOKEN_PLACEHOLDER}\g<2>", content)
    return {"content": content, "content_type": response["Content-Type"]}


def _serve(request, page: dict) -> HttpResponse:
    content = page["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request))
    if FORM_TOKEN_PLACEHOLDER in content:
        from smp_site.forms import new_form_token

        content = content.replace(FORM_TOKEN_PLACEHOLDER, new_form_token())
    response = HttpResponse(content, content_type=page["content_type"])
    response["X-Page-Cache"] = "hit"
    return response


def cache_public_page(view):
    """Serve a public page from the two-tier cache; render and store it on a miss."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, current_version())
        page = local_pages.get(key)
        if page is None:
            page = cache.get(key)
            if page is not None:
                local_pages.set(key, page)
        if page is not None:
            return _serve(request, page)

        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            page = _store(response)
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
            local_pages.set(key, page)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def connect_invalidation() -> None:
    """Bump the version whenever a model that public pages show changes."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in settings.PAGE_CACHE_MODELS:
        model = apps.get_model(label)
        uid = f"page-cache:{label}"
        post_save.connect(bump_version, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(bump_version, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                bump_version, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
            )
