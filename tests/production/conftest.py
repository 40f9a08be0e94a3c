"""Production-stack tests: a real S3 HTTP server (moto), a local ESP endpoint, and the
settings as a separate process sees them with a production environment."""

import json
import logging
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_BUCKET = "smp-test-media"
PRIVATE_BUCKET = "smp-test-quote-photos"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Everything here talks to 127.0.0.1; no proxy from the environment may get in the way."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


# HTTP without proxies, and with error statuses returned rather than raised.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# The S3 server.


class S3Server:
    def __init__(self, server):
        self.server = server
        host, port = server.get_host_and_port()
        self.host, self.port = host, port
        self.endpoint_url = f"http://{host}:{port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 on a free loopback port, with the two buckets the settings expect:
    the public one readable by anyone through a bucket policy, the private one with none."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        missing(f"moto[server] is not installed ({exc})")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    s3 = S3Server(server)
    client = s3.client()
    client.create_bucket(Bucket=PUBLIC_BUCKET)
    client.create_bucket(Bucket=PRIVATE_BUCKET)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{PUBLIC_BUCKET}/*"],
            }
        ],
    }
    client.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=json.dumps(public_read))
    yield s3
    server.stop()


def s3_config(s3_server: S3Server, **overrides) -> dict:
    """What settings.py builds from the AWS_* environment, pointed at the test server."""
    config = {
        "public_bucket": PUBLIC_BUCKET,
        "private_bucket": PRIVATE_BUCKET,
        "endpoint_url": s3_server.endpoint_url,
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
        "private_file_url_expiry": 120,
    }
    config.update(overrides)
    return config


@pytest.fixture
def use_s3(settings, s3_server):
    """Switch this test to S3 mode, the way STORAGE_BACKEND=s3 does in settings.py."""
    from smp_site.storage_config import S3Settings, s3_storages

    def switch(**overrides) -> dict:
        config = s3_config(s3_server, **overrides)
        settings.STORAGE_BACKEND = "s3"
        settings.PRIVATE_FILE_URL_EXPIRY = config["private_file_url_expiry"]
        settings.STORAGES = {**settings.STORAGES, **s3_storages(S3Settings(**config))}
        settings.PRIVATE_FILES_REDIRECT = True
        settings.SERVE_MEDIA = False
        return config

    return switch


# Quotes, made like tests/quotes/test_pipeline.py does.


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A production environment (and nothing else from ours); None removes a variable."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "smp.example",
        "CSRF_TRUSTED_ORIGINS": "https://smp.example",
        "SITE_URL": "https://smp.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": "smp-media",
        "AWS_PRIVATE_BUCKET_NAME": "smp-quote-photos",
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "dummy-access-key",
        "AWS_SECRET_ACCESS_KEY": "dummy-secret-key",
        "ANYMAIL_ESP": "postmark",
        "ANYMAIL_API_KEY": "dummy-server-token",
        "ANYMAIL_WEBHOOK_SECRET": "dummy:webhook-secret",
        "DEFAULT_FROM_EMAIL": "SMP Clinic Finder <hello@smp.example>",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "TRUSTED_PROXY_COUNT": "1",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(args: list[str], env: dict[str, str], timeout: float = 120):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


# The settings module alone: reading settings needs no app loaded (django.setup() would
# import every app and model, most of a second a process).
_DUMP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))
"""


def settings_in(env: dict[str, str], *names: str) -> dict:
    """The named settings as a separate process with this environment computes them."""
    result = run_python(["-c", _DUMP, *names], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
