"""docker-compose.yml and the Dockerfile, checked without a Docker engine: the file passes
`docker-compose config` (Debian's docker-compose, which parses and validates without an
engine), every rule of a deployment kit safe to reuse holds, and its commands point at
things that exist. The pieces themselves run in tests/production/test_proxy.py (the
same nginx config and gunicorn settings, through deploy/prod.py)."""

import re
import shlex
import shutil
import subprocess
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
SECRETS = ["SECRET_KEY", "POSTGRES_PASSWORD", "S3_ACCESS_KEY", "S3_SECRET_KEY"]


def _words(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def _shell_steps(service: str) -> list[list[str]]:
    """`sh -c "a && b && c"` as [[a...], [b...], [c...]]."""
    words = _words(service)
    if words[:2] == ["sh", "-c"]:
        return [shlex.split(step) for step in words[2].split("&&")]
    return [words]


def _env(service: str) -> dict:
    return SERVICES[service].get("environment", {})


def test_docker_compose_config_accepts_the_file(tmp_path):
    compose = shutil.which("docker-compose")
    if compose is None:
        missing(
            "docker-compose is not installed (apt-get install --no-install-recommends "
            "docker-compose; .ci/run does)"
        )
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}=test{name.lower()}0123456789\n" for name in SECRETS))
    result = subprocess.run(
        [
            compose,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(env_file),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # Without the secrets it refuses, naming the first one missing.
    env_file.write_text("")
    refused = subprocess.run(
        [
            compose,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(env_file),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0 and "in .env" in refused.stderr


@pytest.mark.parametrize(
    "service",
    [
        "proxy",
        "web",
        "worker",
        "beat",
        "migrate",
        "demo",
        "postgres",
        "redis",
        "cache",
        "s3",
        "createbuckets",
        "mailpit",
    ],
)
def test_every_service_the_readme_names_is_there(service):
    assert service in SERVICES
    assert f"`{service}`" in (ROOT / "README.md").read_text()


def test_no_secret_has_a_fallback_and_every_interpolation_is_safe():
    """`${X:?...}` refuses to start without X; `${X:-default}` only for harmless values."""
    lines = [line for line in COMPOSE_TEXT.splitlines() if not line.lstrip().startswith("#")]
    text = "\n".join(lines)
    for match in re.finditer(r"\$\{([^}]*)\}", text):
        name, _, rest = match.group(1).partition(":")
        assert rest[:1] in ("?", "-") and rest[1:].strip(), match.group(0)  # never a bare ${X}
        if name in SECRETS:
            assert rest.startswith("?"), f"{name} has a fallback"
    for name in SECRETS:
        assert f"${{{name}:?" in text
    example = (ROOT / ".env.example").read_text()
    for name in SECRETS:
        assert re.search(rf"^{name}=$", example, re.M), f".env.example lacks {name}"
    assert "minio" not in text.lower()  # no default credentials of an S3 server either


def test_only_the_proxy_publishes_a_port_on_every_interface():
    """One way in: the proxy. Anything else published stays on the host's loopback."""
    public = []
    for name, service in SERVICES.items():
        for port in service.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                public.append(name)
    assert public == ["proxy"]
    web = SERVICES["web"]
    assert not web.get("ports") and "container_name" not in web  # scaled behind the proxy
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_image_is_pinned_to_a_version():
    for service in SERVICES.values():
        image = service["image"]
        if "build" in service:
            assert image in ("smp-directory:local", "smp-directory:demo")
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and re.fullmatch(r"v?\d+\.\d+(\.\d+)?([-.][\w.]+)?", tag), image
        assert not repository.startswith("minio/"), "MinIO publishes no maintained images"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert all(
        re.fullmatch(r"python:3\.11\.\d+-slim-\w+", base)
        for base in re.findall(r"^FROM (\S+)", dockerfile, re.M)
    )


def _redis_of(url: str) -> tuple[str, str]:
    """(compose service, database) of a redis:// URL."""
    match = re.fullmatch(r"redis://([\w-]+):6379/(\d+)", url)
    assert match, url
    return match.group(1), match.group(2)


def test_the_queue_and_the_cache_never_share_a_redis():
    """The queue keeps every task (an append-only file in a named volume, never evicting);
    the cache may lose anything, so it never shares a database with the queue, and a
    Redis of its own is capped and evicts the least recently used keys."""
    env = _env("web")
    cache, queue = _redis_of(env["REDIS_URL"]), _redis_of(env["CELERY_BROKER_URL"])
    assert cache != queue
    for name in ("worker", "beat"):
        assert (
            _env(name).get("CELERY_BROKER_URL", env["CELERY_BROKER_URL"])
            == env["CELERY_BROKER_URL"]
        )
    broker = SERVICES[queue[0]]
    command = " ".join(broker["command"])
    assert "--appendonly yes" in command and "--maxmemory-policy noeviction" in command
    volume = broker["volumes"][0].split(":")[0]
    assert broker["volumes"][0].endswith(":/data") and volume in COMPOSE["volumes"]
    if cache[0] != queue[0]:
        command = " ".join(SERVICES[cache[0]]["command"])
        assert "--maxmemory " in command and "--maxmemory-policy allkeys-lru" in command
    for name in {cache[0], queue[0], "postgres"}:
        assert "ports" not in SERVICES[name], f"{name} is reachable from outside"


def test_migrations_run_once_in_their_own_job_and_static_files_at_build():
    commands = get_commands()
    steps = _shell_steps("migrate")
    assert steps[0] == ["python", "manage.py", "migrate", "--noinput"]
    for words in steps + _shell_steps("demo"):
        assert words[:2] == ["python", "manage.py"] and words[2] in commands, words
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat", "demo"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert "migrate" not in " ".join(_words(name))
    assert "collectstatic" not in COMPOSE_TEXT
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^RUN (.*\\\n)*.*manage\.py collectstatic --noinput", dockerfile, re.M)


def test_demo_data_is_loaded_only_in_the_demo_profile():
    assert _words("demo") == ["python", "manage.py", "load_demo"]
    assert SERVICES["demo"]["profiles"] == ["demo"]
    assert _env("demo")["DEMO_DATA"] == "true"
    for name in ("web", "worker", "beat", "migrate"):
        assert "profiles" not in SERVICES[name]
        assert "load_demo" not in " ".join(_words(name))
        assert "DEMO_DATA" not in _env(name)


def test_every_service_waited_on_as_healthy_has_a_healthcheck():
    for name, service in SERVICES.items():
        for needed, condition in service.get("depends_on", {}).items():
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[needed], f"{name} waits on {needed}"


def test_web_worker_and_beat_have_healthchecks_that_need_no_host_name():
    web = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/ready/" in web
    worker = " ".join(SERVICES["worker"]["healthcheck"]["test"])
    assert "celery -A smp_site inspect ping" in worker
    beat = " ".join(SERVICES["beat"]["healthcheck"]["test"])
    assert "/tmp/celerybeat-schedule" in beat and "/tmp/celerybeat-schedule" in " ".join(
        _words("beat")
    )


def test_only_the_demo_profile_builds_an_image_with_the_sample_datas_drawing_library():
    demo = SERVICES["demo"]
    assert demo["build"] == {"context": ".", "args": {"WITH_DEMO": "true"}}
    assert demo["image"] == "smp-directory:demo"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ARG WITH_DEMO=false" in dockerfile
    assert "-r /tmp/requirements/demo.txt" in dockerfile
    base = (ROOT / "requirements" / "base.txt").read_text()
    assert (
        "resvg-py==" not in base
        and "resvg-py==" in (ROOT / "requirements" / "demo.txt").read_text()
    )


def test_gunicorn_runs_an_importable_application_with_a_config_that_exists():
    words = _words("web")
    assert words[:2] == ["gunicorn", "-c"] and (ROOT / words[2]).is_file()
    assert callable(import_module(words[3]).application)


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_projects_celery_app(service, subcommand):
    from celery import Celery
    from celery.app.utils import find_app

    words = _words(service)
    assert words[:3] == ["celery", "-A", "smp_site"] and words[3] == subcommand
    app = find_app(words[2])
    assert isinstance(app, Celery) and app.main == "smp_site"


def test_the_clients_photos_bucket_is_never_public():
    env = _env("web")
    s3 = " ".join(SERVICES["s3"]["command"])
    assert f'"Read:{env["AWS_STORAGE_BUCKET_NAME"]}"' in s3
    assert env["AWS_PRIVATE_BUCKET_NAME"] not in s3


def test_every_variable_the_app_gets_is_one_the_project_reads():
    source = "".join(p.read_text() for p in (ROOT / "smp_site").glob("*.py"))
    gunicorns = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    for name in {**_env("web"), **_env("demo")}:
        assert f'"{name}"' in source or f'"{name}"' in gunicorns, f"nothing reads {name}"


def test_the_dockerfile_installs_the_lock_file_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    # The base lock file, with its hashes, whatever folder it is copied to.
    assert re.search(r"^COPY requirements/base\.txt ", dockerfile, re.M)
    assert re.search(r"pip install --require-hashes -r \S*requirements/base\.txt", dockerfile)
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".env" in ignored


def test_the_image_leaves_out_documents_tests_and_local_files():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"docs", "tests", "var", ".venv", "**/node_modules", "**/screenshots"} <= ignored
    # What the image runs is kept: every app of ours, and what the Dockerfile copies.
    from django.apps import apps

    ours = [c.path for c in apps.get_app_configs() if Path(c.path).parent == ROOT]
    kept = [Path(p).name for p in ours] + ["manage.py", "templates", "static", "deploy"]
    kept += re.findall(r"^COPY (?!--)(\S+)", (ROOT / "Dockerfile").read_text(), re.M)
    for name in kept:
        assert name.split("/")[0] not in ignored, name


def test_the_compose_environment_gives_coherent_settings(tmp_path):
    """The web service's environment, in a fresh process (nothing is contacted)."""
    from tests.production.conftest import production_env, settings_in

    base = production_env(tmp_path)
    env = {name: base[name] for name in ("PATH", "HOME", "LANG")}
    for name, value in _env("web").items():
        # What compose passes with .env filled in: defaults applied, secrets given.
        value = re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", str(value))
        env[name] = re.sub(r"\$\{(\w+):\?[^}]*\}", "secret", value)
    values = settings_in(
        env,
        "STORAGES",
        "CONTENT_SECURITY_POLICY",
        "SECURE_SSL_REDIRECT",
        "EMAIL_BACKEND",
        "PRIVATE_FILES_REDIRECT",
        "SERVE_MEDIA",
        "INSTALLED_APPS",
        "CELERY_BROKER_URL",
        "CACHES",
        "DEBUG",
    )
    storages = values["STORAGES"]
    assert storages["default"]["BACKEND"] == "smp_site.storage_config.BrowserEndpointS3Storage"
    assert storages["private"]["OPTIONS"]["browser_endpoint_url"] == "http://localhost:9000"
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert "http://localhost:9000" in directives["img-src"]
    assert "upgrade-insecure-requests" not in directives  # plain http on localhost
    assert values["SECURE_SSL_REDIRECT"] is False and values["DEBUG"] is False
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["PRIVATE_FILES_REDIRECT"] is True and values["SERVE_MEDIA"] is False
    assert "demo" not in values["INSTALLED_APPS"] and "tools" not in values["INSTALLED_APPS"]
    # The two Redis roles reach the settings apart (test_the_queue_and_the_cache_...).
    assert values["CELERY_BROKER_URL"] == _env("web")["CELERY_BROKER_URL"]
    assert values["CACHES"]["default"]["LOCATION"] == _env("web")["REDIS_URL"]
