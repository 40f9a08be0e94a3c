"""The client's IP address and identity, for rate limits, admin lockouts and the IP hashes.

Behind N trusted reverse proxies each one appends the address it received the
request from to X-Forwarded-For, so the client is the Nth entry from the right.
Entries further left were written by the client and can say anything. With no
trusted proxy (TRUSTED_PROXY_COUNT = 0, the default) X-Forwarded-For is ignored.

Every limit counts a client by `client_id`: an IPv4 address, or the /64 network of an
IPv6 address. One IPv6 customer is given a whole /64 and may pick any address in it, so
counting addresses apart would let one client multiply every limit by 2^64.
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


def client_id(request: HttpRequest) -> str:
    """Who the client is, for every limit: the IPv4 address, or its /64 for IPv6.

    Written as an address (the network's first one, "2001:db8:1:2::"), so it fits where
    an address is stored (axes' AccessAttempt) and django-ratelimit's own /64 mask keeps
    it as it is.
    """
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:198.51.100.7 is an IPv4 client
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


def client_ip_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's identity (client_id): enough to spot repeat senders
    (and count them against the daily limits), useless to anyone without SECRET_KEY."""
    ip = client_id(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()
