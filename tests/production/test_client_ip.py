"""The client's IP behind trusted proxies: the helper, the rate limit and the quote IP hash."""

import pytest
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from common.client_ip import client_id, client_ip, client_ip_hash


def _request(remote_addr: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        # No trusted proxy: X-Forwarded-For is whatever the client wrote, so it is ignored.
        (0, "198.51.100.7", "6.6.6.6", "198.51.100.7"),
        (0, "198.51.100.7", None, "198.51.100.7"),
        # One proxy: it appended the client's address last.
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged entry first
        (1, "10.0.0.2", " 2001:db8::7 ", "2001:db8::7"),
        # Two proxies: the second appended the first's address.
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "10.0.0.3", "198.51.100.7", "198.51.100.7"),  # one proxy was skipped
        # Nothing usable: the connecting address.
        (1, "198.51.100.7", None, "198.51.100.7"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_client_ip(settings, proxies, remote_addr, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(remote_addr, forwarded)) == expected


def test_the_rate_limit_counts_each_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def limited(address: str) -> bool:
        request = _request("10.0.0.2", address)
        return is_ratelimited(request, group="test", key="ip", rate="1/m", increment=True)

    assert not limited("198.51.100.7")
    assert limited("198.51.100.7")
    assert not limited("198.51.100.8")


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    def limited(forged: str) -> bool:
        request = _request("198.51.100.7", forged)
        return is_ratelimited(request, group="test", key="ip", rate="1/m", increment=True)

    assert not limited("1.1.1.1")
    assert limited("2.2.2.2")


def test_the_quote_ip_hash_is_of_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    same_client_two_proxies = {
        client_ip_hash(_request("10.0.0.2", "198.51.100.7")),
        client_ip_hash(_request("10.0.0.9", "198.51.100.7")),
    }
    assert len(same_client_two_proxies) == 1
    assert client_ip_hash(_request("10.0.0.2", "198.51.100.8")) not in same_client_two_proxies
    assert "198.51.100.7" not in same_client_two_proxies.pop()


@pytest.mark.parametrize(
    ("address", "identity"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2::7", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:db8:1:3::7", "2001:db8:1:3::"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_client_identity_is_an_ipv4_address_or_an_ipv6_64(address, identity):
    assert client_id(_request(address)) == identity


def test_every_limit_uses_the_one_identity(settings):
    assert settings.RATELIMIT_IP_META_KEY == settings.AXES_CLIENT_IP_CALLABLE
    assert settings.AXES_CLIENT_IP_CALLABLE == "common.client_ip.client_id"
    hashes = {client_ip_hash(_request(f"2001:db8:1:2::{n}")) for n in range(1, 5)}
    assert len(hashes) == 1  # the daily limits count the quote IP hash
