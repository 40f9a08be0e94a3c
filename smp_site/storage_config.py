"""The STORAGES entries for S3 (or any S3-compatible server), shared by settings.py and tests.

Two buckets: a public one for clinic, artist and article images (plain URLs, read
through a bucket policy), and a private one for clients' quote photos (no policy,
no public access, reachable only through short-lived SigV4 presigned URLs).
Neither sets an object ACL: buckets with ACLs disabled (the AWS default since
2023) refuse uploads that carry one.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from botocore.config import Config
from storages.backends.s3 import S3Storage

S3_BACKEND = "storages.backends.s3.S3Storage"
BROWSER_ENDPOINT_BACKEND = "smp_site.storage_config.BrowserEndpointS3Storage"


class BrowserEndpointS3Storage(S3Storage):
    """S3Storage whose URLs name the endpoint browsers use, when it differs from ours.

    In docker-compose the site reaches MinIO at http://minio:9000 and browsers at
    http://localhost:9000. A SigV4 signature covers the host, so a URL must be
    signed for the host it will be fetched from; signing needs no connection.
    """

    def get_default_settings(self):
        return {**super().get_default_settings(), "browser_endpoint_url": None}

    @cached_property
    def _browser_signer(self) -> S3Storage:
        options = {key: getattr(self, key) for key in super().get_default_settings()}
        return S3Storage(**{**options, "endpoint_url": self.browser_endpoint_url})

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.browser_endpoint_url or self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        return self._browser_signer.url(name, parameters, expire, http_method)


@dataclass(frozen=True)
class S3Settings:
    """The S3 part of the environment (README: the AWS_* variables)."""

    public_bucket: str
    private_bucket: str
    endpoint_url: str | None = None
    browser_endpoint_url: str | None = None
    region_name: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    custom_domain: str | None = None
    url_protocol: str = "https:"
    addressing_style: str | None = None
    private_file_url_expiry: int = 300


def s3_storages(s3: S3Settings) -> dict[str, dict]:
    """The "default" (public images) and "private" (private) entries of STORAGES."""
    # Bounded waits: a hung S3 endpoint must not hold a web request or /healthz/ for minutes.
    client_config = Config(
        signature_version="s3v4",
        s3={"addressing_style": s3.addressing_style},
        connect_timeout=5,
        read_timeout=30,
        retries={"mode": "standard", "max_attempts": 3},
    )
    common = {
        "endpoint_url": s3.endpoint_url,
        "region_name": s3.region_name,
        "access_key": s3.access_key,
        "secret_key": s3.secret_key,
        # Presigned URLs in us-east-1 would otherwise be SigV2.
        "signature_version": "s3v4",
        "addressing_style": s3.addressing_style,
        "client_config": client_config,
        "file_overwrite": False,
        "default_acl": None,
    }
    backend = S3_BACKEND
    if s3.browser_endpoint_url:
        backend = BROWSER_ENDPOINT_BACKEND
        common["browser_endpoint_url"] = s3.browser_endpoint_url
    return {
        "default": {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "bucket_name": s3.public_bucket,
                "querystring_auth": False,
                "custom_domain": s3.custom_domain,
                "url_protocol": s3.url_protocol,
                # Names are random and never reused, so browsers may keep images a day.
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
        "private": {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "bucket_name": s3.private_bucket,
                "querystring_auth": True,
                "querystring_expire": s3.private_file_url_expiry,
                "custom_domain": None,
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }


def s3_origins(s3: S3Settings) -> list[str]:
    """Origins the buckets' URLs are served from, for the Content-Security-Policy img-src."""
    origins = []
    if s3.custom_domain:
        origins.append(f"{s3.url_protocol}//{s3.custom_domain.split('/')[0]}")
    endpoint = s3.browser_endpoint_url or s3.endpoint_url
    if endpoint:
        parts = urlsplit(endpoint)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    else:
        # AWS itself: virtual-hosted URLs, with or without the region in the host.
        for bucket in (s3.public_bucket, s3.private_bucket):
            origins.append(f"https://{bucket}.s3.amazonaws.com")
            if s3.region_name:
                origins.append(f"https://{bucket}.s3.{s3.region_name}.amazonaws.com")
    return list(dict.fromkeys(origins))
