"""The limits every public form counts, and the view decorator the forms with photos use."""

import hashlib
from collections.abc import Callable
from functools import partial, wraps

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage, is_ratelimited

from .fail_open import cache_breaker
from .uploads import PhotoSizeCapHandler


def ip_rate_limited(request, *, group: str, rate: str, count: bool = True) -> bool:
    """Count one more from this client IP; True once past `rate` (django-ratelimit's "5/h").

    With count=False nothing is counted: True if one more would be past it.

    The counters live in the shared cache. Without it nothing is counted and nobody is
    limited: a calm spam defence must not turn a Redis outage into refused clients.
    """
    if not count:
        return cache_breaker.call(
            "read a rate limit",
            lambda: _used_up(request, group=group, rate=rate),
            fallback=False,
        )
    return cache_breaker.call(
        "count a rate limit",
        lambda: is_ratelimited(request, group=group, key="ip", rate=rate, increment=True),
        fallback=False,
    )


def _used_up(request, *, group: str, rate: str) -> bool:
    usage = get_usage(request, group=group, key="ip", rate=rate, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def over_rate_limit(request, *, rate_setting: str, group: str, count: bool = True) -> bool:
    """Count one accepted submission from this client IP; True once past the setting's rate
    (with count=False: count nothing, True if one more would be past it).

    The setting holds django-ratelimit's syntax ("5/h"); "0" or empty turns the limit off.
    """
    rate = getattr(settings, rate_setting)
    if not rate or rate == "0":
        return False
    return ip_rate_limited(request, group=group, rate=rate, count=count)


# Why a submission went past a limit (stored with it, for staff: at most 40 characters).
CLIENT_LIMIT_REASON = "many messages from one connection"
ADDRESS_LIMIT_REASON = "many messages to one address"


def address_rate_limited(
    request, address: str, *, rate: str | None = None, group: str = "form-addresses"
) -> bool:
    """Count one more submission naming this email address, on every public form that
    emails it; True once past FORM_ADDRESS_RATE_LIMIT ("0" or empty: no limit).

    The client limits count who sends; this one protects whom the site writes to: a
    stranger's address typed into the forms from many connections gets no more than
    the limit's emails. Counted by a keyed hash, so the cache holds no address.
    `rate` and `group`: a limit of its own (the clinic sign-in form's).
    """
    rate = settings.FORM_ADDRESS_RATE_LIMIT if rate is None else rate
    if not rate or rate == "0":
        return False
    folded = address.strip().lower()
    value = hashlib.sha256(f"{settings.SECRET_KEY}:address:{folded}".encode()).hexdigest()
    return cache_breaker.call(
        "count an address limit",
        lambda: is_ratelimited(
            request,
            group=group,
            key=lambda _group, _request: value,
            rate=rate,
            increment=True,
        ),
        fallback=False,
    )


def over_form_limits(request, *, rate_setting: str, group: str, address: str) -> str:
    """Count one accepted submission of a form that emails `address`: against the client's
    rate (the setting's) and the address's. Why it is past one of them, or "".

    Past a limit a submission is still kept for staff (nothing a person typed is thrown
    away), but the address it names is sent nothing until staff have looked.
    """
    by_client = over_rate_limit(request, rate_setting=rate_setting, group=group)
    to_address = address_rate_limited(request, address)
    if by_client:
        return CLIENT_LIMIT_REASON
    return ADDRESS_LIMIT_REASON if to_address else ""


@never_cache
def _too_many_posts(request):
    return render(request, "too_many_posts.html", status=429)


def accepts_photos(*, rate_setting: str, group: str) -> Callable:
    """For a view that shows and takes a public form with photos.

    1. Every POST that passes CSRF is counted against PHOTO_FORM_POST_RATE_LIMIT before
       the view runs: past it the post is refused (429) before any photo is opened.
       Checking photos is the costliest thing a public form does, and a post that fails
       the checks is never counted by the view's own limits, which count accepted
       submissions. Counted after CSRF, so another site's forged posts can't use up a
       person's allowance.
    2. The upload cap goes in before anything reads the body, CSRF included: so CSRF
       is checked inside (csrf_exempt outside, csrf_protect inside), and a file past
       the cap is dropped while it streams. The names it dropped are
       `request.refused_photos`.
    3. `request.over_rate_limit()` counts an accepted submission against the rate limit;
       `request.rate_limit_reached()` says, counting nothing, whether one more would be
       over it (a view asks before it checks the photos).
    4. Never cached; GET, HEAD and POST only.
    """

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST" and over_rate_limit(
                request, rate_setting="PHOTO_FORM_POST_RATE_LIMIT", group=f"{group}-posts"
            ):
                return _too_many_posts(request)
            return view(request, *args, **kwargs)

        protected = csrf_protect(
            never_cache(require_http_methods(["GET", "HEAD", "POST"])(limited))
        )

        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            cap = PhotoSizeCapHandler(request)
            request.upload_handlers.insert(0, cap)
            request.refused_photos = cap.refused
            request.over_rate_limit = partial(
                over_rate_limit, request, rate_setting=rate_setting, group=group
            )
            request.rate_limit_reached = partial(
                over_rate_limit, request, rate_setting=rate_setting, group=group, count=False
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
