"""Whole-page cache for anonymous visitors, in two tiers, invalidated by a site-wide version.

1. A small LRU in each web process: the fastest answer, no network. Its size is
   `PAGE_CACHE_LOCAL_ENTRIES`; 0 turns it off, leaving the shared tier alone.
2. The shared cache (Redis in production), so a page rendered by one process serves all.

Both are keyed by content versions kept in the shared cache. Saving or deleting any
model that public pages show bumps the site's version once the transaction commits, once
per transaction however many rows it saved (see `connect_invalidation`); old entries
simply stop being asked for. The process that saved sees the edit on its very next
request; every other process reads the versions at most once a
`PAGE_CACHE_VERSION_SECONDS` (1 s), so sees it within that.

Some pages are made stale more narrowly: a page about one owner and rows of its own (a
clinic's profile, a city's page: `cache_public_page(owned=True)`) is stored with its
owners' versions as well (the clinics app says which writes are whose, `OwnedPages`). A
transaction that wrote only such rows makes stale their owners' pages and every page
that is no owner's (lists show them too), but not the other owners' pages: with clinics
editing their own listings, one save no longer re-renders every profile.

What is stored is the response the view gave: its status, the headers it set (never a
cookie) and its body, replayed as they were. The key is the page's address with only the
query parameters the view declares (`@cache_public_page(params=("page",))`), sorted. The
view is handed only those, so nothing on a page can depend on a `?utm_source=` and no
such variant adds an entry; a repeated or over-long parameter is answered uncached.

Never cached: requests that carry the visitor's own data (`private=`, such as near me's
coordinates), signed-in staff, and responses that are not a plain 200 for everyone (a
cookie, `Cache-Control: private`, a `Vary`, or a CSRF token written without the tag).

Values that differ for each visitor (the CSRF token, the forms' one-time token) are
written by the `{% per_visitor %}` tag: on a page about to be stored it writes a marker,
which every response, miss or hit, fills in for its own visitor.

A hit is answered early, by `EarlyHitMiddleware`, which sits after the CSRF middleware
(whose cookie a filled-in token needs) and before authentication, OTP, messages and Axes:
for a visitor without a session cookie none of those change a public page, and a hit
skips them and the view. Everyone else (a session cookie, a repeated parameter) goes on
to the view's own decorator, which looks the page up as well and stores what it renders.

The cache only makes pages faster. If the shared cache fails, pages are rendered
uncached, one warning a minute is logged, and it is not tried again for a few seconds,
so a hung Redis does not hold every request for its socket timeout (common/fail_open.py,
whose breaker the rate limits share).
"""

import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial, wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone

from common.fail_open import cache_breaker
from common.forms import new_form_token

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"  # every page
LISTS_VERSION_KEY = "page-cache:lists"  # every page but an owner's own
OWN_VERSION_KEY = "page-cache:own:{}"  # one owner's own pages (a clinic's profile)
# This process's copies of pages (settings.CACHES: the local-memory backend).
LOCAL_ALIAS = "pages-local"
# Longer than any value a cached page reads (search and place are capped at 100).
MAX_PARAM_LENGTH = 100
# Values of one repeatable parameter (checkboxes) a cached page may have.
MAX_MULTI_VALUES = 10
# Content-Length changes when markers are filled in; the rest is not the view's to replay.
_NOT_REPLAYED = frozenset({"content-length", "set-cookie", "x-page-cache"})
_NOT_SHARED = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)

# Per process and never sent to a visitor (markers are always filled in), so a page's
# own text cannot pose as a marker. The stored page names the prefix it was written with.
_MARKER_PREFIX = secrets.token_hex(8)

# Where a page being stored collects the names of the markers written on it.
_MARKERS = "common.page_cache.markers"
# Set by `dont_store()`.
_DONT_STORE = "common.page_cache.dont_store"
# An owned page's owners (`OwnedPages.owners`), and their versions as read with the page.
_OWNERS = "common.page_cache.owners"
_OWN_VERSIONS = "common.page_cache.own_versions"

# Per-visitor values -------------------------------------------------------------------

PER_VISITOR: dict[str, Callable[[HttpRequest], str]] = {
    "csrf": get_token,
    "form_token": lambda request: new_form_token(),
}


def per_visitor_value(request: HttpRequest, name: str) -> str:
    """What `{% per_visitor name %}` writes: the value, or a marker on a page being stored."""
    if name not in PER_VISITOR:
        raise KeyError(f"No per-visitor value is called {name!r}: choose from {list(PER_VISITOR)}")
    markers: set[str] | None = request.META.get(_MARKERS)
    if markers is None:
        return PER_VISITOR[name](request)
    markers.add(name)
    return f"pv{_MARKER_PREFIX}[{name}]"


def _marker_pattern(prefix: str) -> re.Pattern[bytes]:
    return re.compile(rb"pv" + re.escape(prefix.encode()) + rb"\[(\w+)\]")


def _fill(request: HttpRequest, content: bytes, prefix: str) -> bytes:
    """Each marker replaced by this visitor's value (a fresh one per occurrence)."""
    return _marker_pattern(prefix).sub(
        lambda m: PER_VISITOR[m.group(1).decode()](request).encode(), content
    )


def _fill_chunks(request: HttpRequest, chunks: list[bytes]) -> bytes:
    """A stored page split at its markers once, when stored: text, name, text, name, text.

    Filling it is one join, with no search through the page on every hit.
    """
    parts = chunks[:]
    for i in range(1, len(parts), 2):
        parts[i] = PER_VISITOR[parts[i].decode()](request).encode()
    return b"".join(parts)


# The shared tier and its version ------------------------------------------------------


# The versions as this process last read them, and when: a hit would otherwise spend more
# on asking Redis for them than on everything else it does (README, Performance). Emptied
# each window, so it holds at most the owners whose pages were asked for within one.
_seen_versions: dict[str, int] = {}
_seen_at: float | None = None


def _seen(key: str) -> int | None:
    """A version read within the last PAGE_CACHE_VERSION_SECONDS, or None."""
    global _seen_at
    window = settings.PAGE_CACHE_VERSION_SECONDS
    if _seen_at is None or window <= 0 or time.monotonic() - _seen_at >= window:
        _seen_versions.clear()
        _seen_at = time.monotonic()
        return None
    return _seen_versions.get(key)


def _counter(key: str) -> int:
    version = _seen(key)
    if version is None:
        version = cache.get(key)
        if version is None:
            # A number never used before, not 1: after a Redis restart the counter is
            # gone, and an old number could match pages a process still holds in memory.
            cache.add(key, time.time_ns(), timeout=None)
            version = cache.get(key, 1)
        _seen_versions[key] = version
    return version


def current_version() -> int:
    """The site's content version, read from the shared cache at most once a
    PAGE_CACHE_VERSION_SECONDS in each process: an edit made in another process shows
    within that window; one made in this process shows at once (_bump_now forgets it)."""
    return _counter(VERSION_KEY)


def content_version() -> tuple[int, int]:
    """What every page but an owner's own is keyed by: it moves on every write that
    public pages show, an owner's own rows included."""
    return _counter(VERSION_KEY), _counter(LISTS_VERSION_KEY)


def _own_version(owner: str) -> int:
    """The version of one owner's pages; 0 while it has none, and no page is ever stored
    with 0 (`_claim_own_version`), so a version evicted from the cache can only cost a
    render, never bring back a page from before its last bump."""
    key = OWN_VERSION_KEY.format(owner)
    version = _seen(key)
    if version is None:
        version = cache.get(key, 0)  # read only: an invented address must add no key
        _seen_versions[key] = version
    return version


def _claim_own_version(owner: str) -> int | None:
    """A first version for an owner whose page is about to be stored: None when another
    process set one meanwhile (perhaps an edit's bump: what was rendered may be older)."""
    key = OWN_VERSION_KEY.format(owner)
    version = time.time_ns()
    if not cache.add(key, version, timeout=None):
        return None
    _seen_versions[key] = version
    return version


def forget_version() -> None:
    """Read the versions afresh on the next request (after a bump here, and in tests)."""
    global _seen_at
    _seen_versions.clear()
    _seen_at = None


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): any new value differs from the old
        cache.set(key, time.time_ns(), timeout=None)


def _bump_now(rows: set[int] | None = None) -> None:
    """Every page stale (`rows` None), or the pages of those rows' owners and every page
    that is no owner's."""
    owners = None
    if rows is not None and _owned_pages is not None:
        try:
            owners = _owned_pages.page_owners(rows)
        except DatabaseError:  # their addresses unread: the edit must show all the same
            logger.exception("Could not read whose pages an edit changed; all made stale")
    if owners is None:
        _bump(VERSION_KEY)
    else:
        now = time.time_ns()  # differs from each owner's version before it
        cache.set_many({OWN_VERSION_KEY.format(owner): now for owner in owners})
        _bump(LISTS_VERSION_KEY)
    forget_version()


# Models whose rows no public page shows. Every other model makes cached pages stale
# when a row of it is saved or deleted (see `connect_invalidation`), so a model added
# later cannot be forgotten: leaving one out of this list costs at most a needless bump.
# tests/core/test_invalidation.py saves a row of every model and checks each case.
NOT_ON_PUBLIC_PAGES = frozenset(
    {
        # Django's and its libraries' own books: sign-in, sessions, lockouts, 2FA.
        "admin.LogEntry",
        "auth.Permission",
        "auth.Group",
        "auth.User",
        "contenttypes.ContentType",
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessAttemptExpiration",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "otp_totp.TOTPDevice",
        # Private correspondence and the emails about it (outbox rows).
        "pages.ContactMessage",
        "pages.ContactEmail",
        "applications.ClinicApplication",
        "applications.ApplicationUpload",
        "applications.ApplicationEmail",
        "credentials.CredentialEmail",
        "credentials.CredentialRenewal",
        "training.Enquiry",
        "training.EnquiryEmail",
        "reviews.ReviewInvite",
        "reviews.ReviewEmail",
        # Clinic members, their sign-in links and the emails carrying them.
        "members.ClinicMember",
        "members.SignInLink",
        "members.Invitation",
        "members.MemberEmail",
        # A clinic's changes as asked for: the clinic's own row changes when they publish.
        "listing_changes.ListingChange",
        "listing_changes.DecisionEmail",
        # Clients' requests: private. What profiles show of them (reply speed and rate)
        # is stored on the clinic by quotes/stats.py, which calls content_changed().
        "quotes.QuoteRequest",
        "quotes.QuotePhoto",
        "quotes.QuoteDelivery",
        "quotes.QuoteReply",
        "quotes.QuoteReplyRevision",
        # Messages between a client and an artist, and the emails about them.
        "conversations.Conversation",
        "conversations.Message",
        "conversations.MessagePhoto",
        "conversations.MessageEmail",
        "conversations.RefusalEmail",
        # A record of when the gazetteer was loaded; the load itself calls content_changed().
        "places.GazetteerLoad",
    }
)


@dataclass(frozen=True)
class OwnedPages:
    """How pages about one owner and rows of its own are told apart (the clinics app's
    `clinics/own_pages.py` says so for profiles and city pages; common/ imports no app).

    `owners` names the owners a page's address is about (a profile: its clinic, and its
    city, whose other clinics it offers), from its URL's keyword arguments; the page is
    stored with each one's version and served only while they are current. `writes`
    gives the rows (their ids: clinics) a saved, deleted or many-to-many-changed row is
    one of the own rows of: None when it is not only theirs (any other model, or a change
    their pages cannot cover alone, such as a new address). `page_owners` names the
    owners those rows' writes make stale (read once the transaction has committed).
    """

    owners: Callable[[dict], tuple[str, ...]]
    writes: Callable[[type, object, dict], set[int] | None]
    page_owners: Callable[[set[int]], set[str]]


_owned_pages: OwnedPages | None = None


def set_owned_pages(rules: OwnedPages | None) -> None:
    global _owned_pages
    _owned_pages = rules


class _PendingBump(threading.local):
    """What this thread saved of public content that no bump has covered yet: nothing,
    only some owners' own rows (`rows`: the ids `OwnedPages.writes` gave), or anything
    else (`everything`)."""

    everything = False
    rows: set[int] | None = None


_pending = _PendingBump()


def _bump_once_after_commit() -> None:
    # Each save of a transaction queues one of these (a rolled-back savepoint takes its
    # own with it, never another's); the first to run after the commit bumps, and the
    # rest of that commit's find nothing pending: one bump per transaction.
    everything, rows = _pending.everything, _pending.rows
    if not everything and not rows:
        return
    _pending.everything, _pending.rows = False, None
    if cache_breaker.resting():
        return  # Redis is away: the edit is saved, and cached copies age out (README)
    try:
        _bump_now(None if everything else rows)
    except Exception as exc:  # any backend's error: the edit itself has been saved
        cache_breaker.failed("make pages stale", exc)


def content_changed(using: str | None = None, rows: set[int] | None = None) -> None:
    """Make every cached page stale, in every process, once this transaction commits;
    with `rows` (`OwnedPages.writes`), only their owners' pages and the pages that are no
    owner's.

    Saves and deletes call it through signals. Writes that send none (`update()`,
    `bulk_create()`, raw SQL) call it themselves. Bumping before the commit would let a
    reader re-cache the old page (it still sees the old rows) for PAGE_CACHE_SECONDS.
    Outside a transaction it bumps at once.
    """
    if rows is None:
        _pending.everything = True
    else:
        _pending.rows = (_pending.rows or set()) | rows
    transaction.on_commit(_bump_once_after_commit, using=using, robust=True)


def _on_write(sender, instance=None, using: str | None = None, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are loaded before anything is served
        return
    model = type(instance) if instance is not None else sender
    if model._meta.label in NOT_ON_PUBLIC_PAGES:
        return
    rows = None if _owned_pages is None else _owned_pages.writes(model, instance, kwargs)
    content_changed(using, rows)


def _on_m2m(sender, instance=None, action: str = "", using: str | None = None, **kwargs):
    if action.startswith("post_"):
        _on_write(sender, instance, using, **kwargs)


# The view decorator -------------------------------------------------------------------


# Parameters that number a page: keyed as the number they mean (`?page=0001` is page 1).
PAGE_NUMBER_PARAMS = frozenset({"page", "p"})


def _normalised(name: str, value: str, choices: dict[str, frozenset[str]]) -> str | None:
    """The value as the page reads it, or None when the page would ignore it.

    Two spellings of one request must make one entry, and a value the page ignores none:
    a client inventing values (`?sort=junk1`, `?sort=junk2`…) must not add an entry each.
    """
    value = value.strip()
    if not value:
        return None
    if name in PAGE_NUMBER_PARAMS and value.isascii() and value.isdigit() and int(value):
        return str(int(value))
    # Any other page "number" reaches the view as sent: it answers 404, never stored.
    if name in choices:
        value = value.lower()
        return value if value in choices[name] else None
    return value


def _allowed_query(
    request: HttpRequest,
    params: frozenset[str],
    private: frozenset[str],
    multi: frozenset[str] = frozenset(),
    choices: dict[str, frozenset[str]] | None = None,
) -> tuple[QueryDict, bool]:
    """The query the view may read, and whether an answer to it may be cached.

    Each value is normalised (see `_normalised`); one the page would ignore is dropped.
    A `multi` parameter may be repeated (`?service=a&service=b`, what a form's checkboxes
    send): its values are sorted and deduplicated, so every order is one entry.
    """
    choices = choices or {}
    query = QueryDict(mutable=True)
    cacheable = True
    for name in sorted(params):
        raw = request.GET.getlist(name)
        if not raw:
            continue
        if any(len(value) > MAX_PARAM_LENGTH for value in raw):
            cacheable = False
        if name in private:
            if any(raw):
                cacheable = False  # the page promises the visitor's data is not stored
            query.setlist(name, raw)  # read as given: it is never keyed
            continue
        values = [v for v in (_normalised(name, value, choices) for value in raw) if v]
        if name in multi:
            values = sorted(set(values))
            if len(values) > MAX_MULTI_VALUES:
                cacheable = False
        elif len(values) > 1:
            cacheable = False  # one odd request, not a new entry each
        if values:
            query.setlist(name, values)
    query._mutable = False
    return query, cacheable


def dont_store(request: HttpRequest) -> None:
    """Answer this request without storing its page.

    For a view that finds a value it does not know among the parameters (a service slug
    that no service has): the page is fine for this visitor, but storing it would give
    every invented value an entry of its own.
    """
    request.META[_DONT_STORE] = True


def _signed_in(request: HttpRequest) -> bool:
    # No session cookie: nobody is signed in, and the hot path looks no session up.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or user.is_authenticated


def _key(path: str, version: str) -> str:
    # Hashed: a fixed length whatever the address, within every backend's key limits.
    # The day is part of it: what pages show changes at midnight with no edit (a checked
    # credential's badge goes on its expiry, a training event stops being upcoming), so
    # no page cached yesterday is served today.
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    # "p2": how a page is stored (chunks around its markers); a deploy that changes it
    # changes this, so no process replays a page stored the old way.
    return f"page:p2:{version}:{timezone.localdate().isoformat()}:{digest}"


def _local():
    """This process's own copies (Django's local-memory backend), or None when off."""
    if settings.PAGE_CACHE_LOCAL_ENTRIES <= 0 or LOCAL_ALIAS not in settings.CACHES:
        return None
    return caches[LOCAL_ALIAS]


def _lookup(request: HttpRequest, key: str) -> dict | None:
    owners = request.META.get(_OWNERS, ())
    local = _local()
    page = local.get(key) if local is not None else None
    if page is None:
        if owners:
            # The page and its owners' versions in one round trip: a hit on a profile
            # costs no more than one on any other page.
            version_keys = [OWN_VERSION_KEY.format(owner) for owner in owners]
            found = cache.get_many([key, *version_keys])
            page = found.get(key)
            versions = [found.get(version_key, 0) for version_key in version_keys]
            _seen_versions.update(zip(version_keys, versions, strict=True))
        else:
            page = cache.get(key)
        if page is not None and local is not None:
            local.set(key, page)
    elif owners:
        versions = [_own_version(owner) for owner in owners]
    if owners:
        request.META[_OWN_VERSIONS] = versions  # what a render now is stored with
        if page is not None and (not all(versions) or page.get("owners") != versions):
            return None  # rendered before an edit of one of its owners' rows
    return page


def _shareable(request: HttpRequest, response: HttpResponse, csrf_before: bool | None) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Vary")
        and not _NOT_SHARED.search(response.get("Cache-Control", ""))
        # get_token() was called other than through the tag: the body holds this
        # visitor's token, which would fail every other visitor's form.
        and request.META.get("CSRF_COOKIE_NEEDS_UPDATE") == csrf_before
        and not request.META.get(_DONT_STORE)
        # A page larger than any the site means to serve is not worth the memory.
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
    )


def _page(response: HttpResponse, markers: set[str]) -> dict:
    content = response.content
    return {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in _NOT_REPLAYED],
        # With markers, the page as chunks around them (see _fill_chunks).
        "content": _marker_pattern(_MARKER_PREFIX).split(content) if markers else content,
    }


def _replay(request: HttpRequest, page: dict) -> HttpResponse:
    content = page["content"]
    if isinstance(content, list):
        content = _fill_chunks(request, content)
    response = HttpResponse(content, status=page["status"])
    for name, value in page["headers"]:
        response[name] = value
    return response


def _render_and_store(
    request: HttpRequest, key: str, view: Callable, args: tuple, kwargs: dict
) -> HttpResponse:
    markers: set[str] = set()
    request.META[_MARKERS] = markers  # the tag writes markers, not values, now
    csrf_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    try:
        response = view(request, *args, **kwargs)
        if not response.streaming and callable(getattr(response, "render", None)):
            response.render()
    finally:
        del request.META[_MARKERS]
    if response.streaming:
        return response
    page = _page(response, markers) if _shareable(request, response, csrf_before) else None
    owners, versions = request.META.get(_OWNERS, ()), request.META.pop(_OWN_VERSIONS, None)
    if page is not None and owners:
        try:
            # The versions read before the render began: an edit committed meanwhile
            # has moved one, and the page is never served.
            page["owners"] = _claimed(owners, versions)
        except Exception as exc:  # any backend's error: the page is rendered; serve it
            cache_breaker.failed("store a page", exc)
            page["owners"] = None
        if page["owners"] is None:
            page = None
    if page is not None:
        try:
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
        except Exception as exc:  # any backend's error: the page is rendered; serve it
            cache_breaker.failed("store a page", exc)
        else:
            local = _local()
            if local is not None:
                local.set(key, page)
            response["X-Page-Cache"] = "miss"
    if markers:
        response.content = _fill(request, response.content, _MARKER_PREFIX)
    return response


def _claimed(owners: tuple[str, ...], versions: list[int] | None) -> list[int] | None:
    """The versions to store an owned page with, each owner given one if it had none; None
    when another process gave one a version meanwhile (or none were read)."""
    if versions is None:
        return None
    claimed: list[int] = []
    for owner, version in zip(owners, versions, strict=True):
        version = version or _claim_own_version(owner) or 0
        if not version:
            return None
        claimed.append(version)
    return claimed


def _canonical_host(request: HttpRequest) -> None:
    """From here on, the request names SITE_URL's host, whatever Host it was sent with.

    What a public page writes of its own address (Django's sitemaps and feeds ask the
    request for it) is then the site's, and one stored page serves every Host spelling.
    CommonMiddleware has already checked the Host the client sent against ALLOWED_HOSTS.
    """
    request.META["HTTP_HOST"] = urlsplit(settings.SITE_URL).netloc
    request.META.pop("HTTP_X_FORWARDED_HOST", None)


def _cache_key(request: HttpRequest, options: tuple, kwargs: dict) -> str | None:
    """The page's key, or None when this request must not be answered from the cache.

    Hands the view only the query the key holds (it, its templates and get_full_path()
    see nothing else). Asks the shared cache for the versions: may raise its errors.
    """
    allowed, private, repeatable, choices, owned = options
    _canonical_host(request)
    query, cacheable = _allowed_query(request, allowed, private, repeatable, choices)
    # django-stubs types request.GET as its own immutable QueryDict; `query` is one.
    request.GET = query  # type: ignore[assignment]
    request.META["QUERY_STRING"] = query.urlencode()
    if not (
        cacheable
        and settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and not _signed_in(request)
        and not cache_breaker.resting()
    ):
        return None
    # The path and its normalised query, never the Host header: pages write SITE_URL
    # (every Host a client may send, `host:1` to `host:65535`, is one page).
    path = request.get_full_path()
    if owned and _owned_pages is not None:
        # Its owners' versions are stored with the page and compared when it is read
        # (_lookup): keyed by them, a hit would cost a round trip to Redis more.
        request.META[_OWNERS] = _owned_pages.owners(kwargs)
        return _key(path, f"{current_version()}.own")
    request.META[_OWNERS] = ()
    site, lists = content_version()
    return _key(path, f"{site}.{lists}")


def cache_public_page(
    view: Callable | None = None,
    *,
    params: Iterable[str] = (),
    private: Iterable[str] = (),
    multi: Iterable[str] = (),
    choices: dict[str, Iterable[str]] | None = None,
    owned: bool = False,
):
    """Serve a public page from the two-tier cache; render and store it on a miss.

    `params` are the query parameters the page reads; `private` ones are read too, but
    a request with a value in any of them is never cached; `multi` ones (among `params`)
    may be repeated; `choices` names, for a parameter, the values the page knows (any
    other is dropped, as the page would ignore it). The view sees no others. `owned`: the
    page is about one owner (`OwnedPages`), and shows nothing of the others' own rows.
    """
    if view is None:
        return partial(
            cache_public_page,
            params=params,
            private=private,
            multi=multi,
            choices=choices,
            owned=owned,
        )
    private = frozenset(private)
    allowed = frozenset(params) | private
    repeatable = frozenset(multi)

    known = {name: frozenset(v.lower() for v in values) for name, values in (choices or {}).items()}
    options = (allowed, private, repeatable, known, owned)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            key = _cache_key(request, options, kwargs)
            page = _lookup(request, key) if key else None
        except Exception as exc:  # any backend's error (redis, a timeout): render afresh
            cache_breaker.failed("read a page", exc)
            return view(request, *args, **kwargs)
        if key is None:
            return view(request, *args, **kwargs)
        if page is None:
            return _render_and_store(request, key, view, args, kwargs)
        return _hit(request, page)

    # What EarlyHitMiddleware reads to find this page before the view is reached
    # (require_safe and the like copy it onto their own wrappers).
    wrapper.page_cache_options = options  # type: ignore[attr-defined]
    return wrapper


def _hit(request: HttpRequest, page: dict) -> HttpResponse:
    response = _replay(request, page)
    response["X-Page-Cache"] = "hit"
    return response


class EarlyHitMiddleware:
    """Answer a cached page before the middleware and view that only a render needs.

    Only for a visitor with no session cookie (nobody is signed in, nothing in the
    session can change the page) asking a view decorated with `cache_public_page`; a
    miss, or anything else, goes on down the chain unchanged. Every header a hit needs
    comes from middleware above this one (security headers, the CSP, X-Frame-Options,
    the CSRF cookie that a filled-in token needs), so it must sit below those.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page = self._cached_page(request)
        if page is not None:
            return _hit(request, page)
        return self.get_response(request)

    def _cached_page(self, request: HttpRequest) -> dict | None:
        if (
            request.method not in ("GET", "HEAD")
            or not settings.PAGE_CACHE_ENABLED
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        options = getattr(match.func, "page_cache_options", None)
        if options is None:
            return None
        try:
            key = _cache_key(request, options, match.kwargs)
            return _lookup(request, key) if key else None
        except Exception as exc:  # the view's decorator tries again, and renders
            cache_breaker.failed("read a page", exc)
            return None


def connect_invalidation() -> None:
    """Make pages stale on every save, delete and many-to-many change of every model
    except those in NOT_ON_PUBLIC_PAGES."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_write, dispatch_uid="page-cache:save")
    post_delete.connect(_on_write, dispatch_uid="page-cache:delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="page-cache:m2m")
