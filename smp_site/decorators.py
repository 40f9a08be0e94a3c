"""The view decorator every public form with photos uses."""

from collections.abc import Callable
from functools import partial, wraps

from django.conf import settings
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from .fail_open import shared_cache
from .uploads import PhotoSizeCapHandler


def ip_rate_limited(request, *, group: str, rate: str) -> bool:
    """Count one more from this client IP; True once past `rate` (django-ratelimit's "5/h").

    The counters live in the shared cache. Without it nothing is counted and nobody is
    limited: a calm spam defence must not turn a Redis outage into refused clients.
    """
    return shared_cache.call(
        "count a rate limit",
        lambda: is_ratelimited(request, group=group, key="ip", rate=rate, increment=True),
        fallback=False,
    )


def over_rate_limit(request, *, rate_setting: str, group: str) -> bool:
    """Count one accepted submission from this client IP; True once past the setting's rate.

    The setting holds django-ratelimit's syntax ("5/h"); "0" or empty turns the limit off.
    """
    rate = getattr(settings, rate_setting)
    if not rate or rate == "0":
        return False
    return ip_rate_limited(request, group=group, rate=rate)


def accepts_photos(*, rate_setting: str, group: str) -> Callable:
    """For a view that shows and takes a public form with photos.

    1. The upload cap goes in before anything reads the body, CSRF included: so CSRF
       is checked inside (csrf_exempt outside, csrf_protect inside), and a file past
       the cap is dropped while it streams. The names it dropped are
       `request.refused_photos`.
    2. `request.over_rate_limit()` counts an accepted submission against the rate limit.
    3. Never cached; GET, HEAD and POST only.
    """

    def decorate(view):
        protected = csrf_protect(never_cache(require_http_methods(["GET", "HEAD", "POST"])(view)))

        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            cap = PhotoSizeCapHandler(request)
            request.upload_handlers.insert(0, cap)
            request.refused_photos = cap.refused
            request.over_rate_limit = partial(
                over_rate_limit, request, rate_setting=rate_setting, group=group
            )
            return protected(request, *args, **kwargs)

        return wrapper

    return decorate


def private_page(view):
    """Headers for pages whose address is a secret (a reply link, a seat link).

    Never cached, never indexed, and no Referer to other sites.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # Same-origin, not no-referrer: the link never leaves the site in a Referer, yet
        # the browser still sends an Origin for the page's own forms (CSRF needs it).
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapper)
