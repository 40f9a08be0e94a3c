"""https at the proxy by environment alone (deploy/nginx/run.sh with NGINX_TLS_*): `make
prod`'s nginx given a certificate serves the site over https with the same proxy, and the
site, told by the proxy that the request came over https, redirects plain http there, sends
HSTS and marks its cookies Secure."""

import os
import shutil
import subprocess

import pytest
import requests

from deploy.prod import Arrangement, environment, free_port
from tests.factories import ClinicFactory
from tests.integration.conftest import RedisServer
from tests.production.local_site import site_env
from tests.services import missing

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, as certbot's files would be laid out."""
    if not shutil.which("openssl"):
        missing("openssl is not installed")
    folder = tmp_path / "live"
    folder.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    return folder / "fullchain.pem", folder / "privkey.pem"


@pytest.fixture
def https_site(tmp_path, certificate):
    for program in ("nginx", "envsubst", "redis-server"):
        if not shutil.which(program) and not shutil.which(f"/usr/sbin/{program}"):
            missing(f"{program} is not installed (make prod needs nginx and gettext-base)")
    redis = RedisServer(tmp_path)
    redis.start()
    port, tls_port = free_port(), free_port()
    chain, key = certificate
    base = site_env(
        tmp_path,
        redis.url,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SITE_URL=f"https://127.0.0.1:{tls_port}",
        # A real deployment's https settings (docs/deployment.md, "A real deployment").
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        SECURE_SSL_REDIRECT="true",
        SESSION_COOKIE_SECURE="true",
        CSRF_COOKIE_SECURE="true",
        NGINX_TLS_CERTIFICATE=str(chain),
        NGINX_TLS_CERTIFICATE_KEY=str(key),
        NGINX_TLS_LISTEN=f"127.0.0.1:{tls_port}",
    )
    run_dir = tmp_path / "prod"
    run_dir.mkdir()
    site = Arrangement(
        port=port, env=environment(base, port=port, run_dir=run_dir), run_dir=run_dir, worker=False
    )
    site.prepare()
    site.start()
    yield site, tls_port, chain
    site.stop()
    redis.stop()


def test_the_proxy_serves_https_from_the_environment_and_the_site_knows_it(https_site):
    site, tls_port, chain = https_site
    clinic = ClinicFactory(name="Harbour SMP")
    http = requests.Session()
    http.trust_env = False

    # Plain http is sent to https by the site itself.
    plain = http.get(f"{site.url}{clinic.get_absolute_url()}", allow_redirects=False, timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1")

    # Over https, verified against the certificate the proxy was given.
    secure = http.get(
        f"https://127.0.0.1:{tls_port}{clinic.get_absolute_url()}", verify=chain, timeout=30
    )
    assert secure.status_code == 200
    assert "Harbour SMP" in secure.text
    assert "max-age=" in secure.headers["Strict-Transport-Security"]

    form = http.get(f"https://127.0.0.1:{tls_port}/quote/", verify=chain, timeout=30)
    assert form.status_code == 200
    assert "Secure" in form.headers["Set-Cookie"]  # the CSRF cookie never goes over http

    # The same proxy's pages and limits on both: gunicorn down is the calm 503 over https.
    gunicorn = site.processes["gunicorn"]
    os.killpg(gunicorn.pid, 15)
    gunicorn.wait(30)
    down = http.get(f"https://127.0.0.1:{tls_port}/", verify=chain, timeout=30)
    assert down.status_code == 503 and "We’ll be back in a moment" in down.content.decode()
