"""The client's IP address, for rate limits, admin lockouts and the quote IP hash.

Behind N trusted reverse proxies each one appends the address it received the
request from to X-Forwarded-For, so the client is the Nth entry from the right.
Entries further left were written by the client and can say anything. With no
trusted proxy (TRUSTED_PROXY_COUNT = 0, the default) X-Forwarded-For is ignored.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as the trusted proxies saw it, else REMOTE_ADDR."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [
        entry for entry in request.headers.get("x-forwarded-for", "").split(",") if entry.strip()
    ]
    if not forwarded:
        return remote_addr  # reached us without passing the proxies
    # Fewer entries than proxies: the request skipped one; the leftmost is the best we have.
    entry = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _valid(entry) or remote_addr


def client_ip_hash(request: HttpRequest) -> str:
    """A keyed hash: enough to spot repeat senders, useless to anyone without SECRET_KEY."""
    ip = client_ip(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()
