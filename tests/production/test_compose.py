"""docker-compose.yml and the Dockerfile, checked without Docker: the file parses, names
every service the README promises, and its commands refer to things that exist."""

import re
import shlex
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]


def _words(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def _shell_steps(service: str) -> list[list[str]]:
    """`sh -c "a && b && exec c"` as [[a...], [b...], [c...]]."""
    words = _words(service)
    if words[:2] == ["sh", "-c"]:
        return [shlex.split(step) for step in words[2].split("&&")]
    return [words]


@pytest.mark.parametrize(
    "service",
    ["web", "worker", "beat", "postgres", "redis", "minio", "createbuckets", "mailpit"],
)
def test_every_service_the_readme_names_is_there(service):
    assert service in SERVICES
    assert f"`{service}`" in (ROOT / "README.md").read_text()


def test_web_worker_and_beat_run_one_image_built_from_the_dockerfile():
    builds = {str(SERVICES[name].get("build")) for name in APP_SERVICES}
    images = {SERVICES[name].get("image") for name in APP_SERVICES}
    assert builds == {"."} and len(images) == 1 and None not in images


def test_the_web_command_prepares_the_site_then_serves_it():
    steps = _shell_steps("web")
    manage = [step[2] for step in steps if step[:2] == ["python", "manage.py"]]
    assert manage == ["migrate", "collectstatic", "load_demo"]
    assert steps[-1][:2] == ["exec", "gunicorn"]


def test_the_manage_py_commands_exist():
    commands = get_commands()
    for step in _shell_steps("web"):
        if step[:2] == ["python", "manage.py"]:
            assert step[2] in commands, f"no manage.py command {step[2]}"


def test_gunicorn_serves_an_importable_wsgi_application():
    gunicorn = next(step for step in _shell_steps("web") if "gunicorn" in step)
    target = next(word for word in gunicorn if re.fullmatch(r"[\w.]+:\w+", word))
    module, name = target.split(":")
    assert callable(getattr(import_module(module), name))
    assert "0.0.0.0:8000" in gunicorn
    assert "8000:8000" in SERVICES["web"]["ports"]


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_projects_celery_app(service, subcommand):
    from celery import Celery
    from celery.app.utils import find_app

    words = _words(service)
    assert words[:3] == ["celery", "-A", "smp_site"] and words[3] == subcommand
    app = find_app(words[2])
    assert isinstance(app, Celery) and app.main == "smp_site"
    assert "quotes.tasks.sweep" in app.conf.beat_schedule["sweep-stuck-quotes"]["task"]


def test_the_app_talks_to_the_compose_services():
    env = SERVICES["web"]["environment"]
    for name in APP_SERVICES:
        assert SERVICES[name]["environment"]["DATABASE_URL"] == env["DATABASE_URL"]
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["STORAGE_BACKEND"] == "s3"
    assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (env["EMAIL_HOST"], env["EMAIL_PORT"]) == ("mailpit", "1025")
    assert env["DEBUG"] == "false"


def test_the_bucket_service_makes_the_buckets_the_app_uses():
    env = SERVICES["web"]["environment"]
    script = " ".join(SERVICES["createbuckets"]["command"])
    public, private = env["AWS_STORAGE_BUCKET_NAME"], env["AWS_PRIVATE_BUCKET_NAME"]
    assert f"mc mb --ignore-existing local/{public}" in script
    assert f"mc mb --ignore-existing local/{private}" in script
    assert f"mc anonymous set download local/{public}" in script
    assert f"mc anonymous set none local/{private}" in script
    assert SERVICES["minio"]["environment"]["MINIO_ROOT_USER"] == env["AWS_ACCESS_KEY_ID"]
    assert SERVICES["minio"]["environment"]["MINIO_ROOT_PASSWORD"] == env["AWS_SECRET_ACCESS_KEY"]
    depends = SERVICES["web"]["depends_on"]
    assert depends["createbuckets"]["condition"] == "service_completed_successfully"


def test_every_variable_the_app_gets_is_one_the_project_reads():
    source = "".join(p.read_text() for p in (ROOT / "smp_site").glob("*.py"))
    read_elsewhere = {"WEB_CONCURRENCY"}  # gunicorn's own
    for name in SERVICES["web"]["environment"]:
        assert name in read_elsewhere or f'"{name}"' in source, f"nothing reads {name}"


def test_no_interpolation_can_pass_an_empty_value():
    """A bare ${VAR} is "" when VAR is unset, and the settings refuse empty URLs."""
    lines = [line for line in COMPOSE_TEXT.splitlines() if not line.lstrip().startswith("#")]
    for match in re.finditer(r"\$\{([^}]*)\}", "\n".join(lines)):
        assert re.fullmatch(r"\w+:-.+", match.group(1)), match.group(0)


def test_the_dockerfile_installs_the_project_from_pyproject():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[1-9]", dockerfile, re.M)
    assert re.search(r"^COPY pyproject\.toml", dockerfile, re.M)
    assert re.search(r"^RUN pip install \.$", dockerfile, re.M)
    assert re.search(r"^USER (?!root)", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".env" in ignored


def test_the_compose_environment_gives_coherent_settings(tmp_path):
    """The web service's environment, in a fresh process (nothing is contacted)."""
    from tests.production.conftest import production_env, settings_in

    base = production_env(tmp_path)
    env = {name: base[name] for name in ("PATH", "HOME", "LANG")}
    env.update({name: str(value) for name, value in SERVICES["web"]["environment"].items()})
    env["SECRET_KEY"] = "compose-test-key"  # what ${SECRET_KEY:-...} gives when unset
    values = settings_in(
        env,
        "STORAGES",
        "CONTENT_SECURITY_POLICY",
        "SECURE_SSL_REDIRECT",
        "EMAIL_BACKEND",
        "QUOTE_PHOTOS_REDIRECT",
        "SERVE_MEDIA",
        "INSTALLED_APPS",
    )
    storages = values["STORAGES"]
    assert storages["default"]["BACKEND"] == "smp_site.storage_config.BrowserEndpointS3Storage"
    assert storages["quote_photos"]["OPTIONS"]["browser_endpoint_url"] == "http://localhost:9000"
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert "http://localhost:9000" in directives["img-src"]  # MinIO images may load
    assert "upgrade-insecure-requests" not in directives  # plain http on localhost
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["QUOTE_PHOTOS_REDIRECT"] is True and values["SERVE_MEDIA"] is False
    # The web command runs load_demo with DEBUG off: DEMO_DATA brings the demo app in.
    assert "demo" in values["INSTALLED_APPS"] and "tools" not in values["INSTALLED_APPS"]
