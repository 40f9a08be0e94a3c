"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

What compose would run is what `docker-compose config` (Debian's 1.29: it reads .env,
interpolates, merges env_file and validates, without an engine) makes of the file, given
two sample .env files: a server's (an ESP, S3, Sentry, TLS behind the proxy) and
.env.example as shipped, with its blanks filled (the local profile). The pieces themselves
run in tests/production/test_proxy.py (the same nginx config and gunicorn settings,
through deploy/prod.py)."""

import re
import secrets
import shlex
import shutil
import subprocess
from functools import cache
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from tests.production.conftest import run_python, settings_in
from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ["SECRET_KEY", "POSTGRES_PASSWORD"]
# The services that run the site's code, and read .env.
APP = ("web", "worker", "beat", "migrate", "demo", "backup")
LOCAL = {"mailpit", "s3", "createbuckets"}

# What docs/deployment.md ("A real deployment") tells a server's .env to hold.
SERVER_ENV = {
    "SECRET_KEY": secrets.token_hex(32),
    "POSTGRES_PASSWORD": "pgsecret0123456789",
    "ALLOWED_HOSTS": "smp.example",
    "CSRF_TRUSTED_ORIGINS": "https://smp.example",
    "SITE_URL": "https://smp.example",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "DEFAULT_FROM_EMAIL": "SMP Clinic Finder <hello@smp.example>",
    "ANYMAIL_ESP": "postmark",
    "ANYMAIL_API_KEY": "postmark-server-token",
    "ANYMAIL_WEBHOOK_SECRET": "hook:secret0123",
    "AWS_STORAGE_BUCKET_NAME": "smp-example-media",
    "AWS_PRIVATE_BUCKET_NAME": "smp-example-photos",
    "AWS_S3_REGION_NAME": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE0123",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-0123456789",
    "SENTRY_DSN": "https://key@o0.ingest.sentry.io/1",
    "LOG_FORMAT": "json",
}


def env_text(values: dict[str, str]) -> str:
    return "".join(f"{name}={value}\n" for name, value in values.items())


def example_filled_in() -> str:
    """.env.example as shipped, each blank given a value, as its reader is told to."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    return "".join(
        f"{line}{'test' + line[:-1].lower() + '0123456789'}\n"
        if re.fullmatch(r"[A-Z_]+=", line)
        else f"{line}\n"
        for line in lines
    )


@cache
def compose_config(text: str) -> tuple[int, dict, str]:
    """(exit status, the configuration compose would run, its warnings and errors)."""
    compose = shutil.which("docker-compose")
    if compose is None:
        missing(
            "docker-compose is not installed (apt-get install --no-install-recommends "
            "docker-compose; .ci/run does)"
        )
    import tempfile

    # COMPOSE_FILE in .env names the files, from the repository's folder (as a user runs it).
    named = re.search(r"^COMPOSE_FILE=(.+)$", text, re.M)
    files = named.group(1).split(":") if named else ["docker-compose.yml"]
    with tempfile.TemporaryDirectory() as project:
        (Path(project) / ".env").write_text(text)
        result = subprocess.run(
            [
                compose,
                "--project-directory",
                project,
                *[word for name in files for word in ("-f", str(ROOT / name))],
                "config",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    config = yaml.safe_load(result.stdout) if result.returncode == 0 else {}
    return result.returncode, config, result.stderr


def config_for(text: str) -> dict:
    status, config, errors = compose_config(text)
    assert status == 0, errors
    return config


def services(text: str) -> dict[str, dict]:
    return config_for(text)["services"]


def active(config_services: dict[str, dict], profiles: set[str]) -> set[str]:
    """What `docker compose up` starts with these profiles on."""
    return {
        name
        for name, service in config_services.items()
        if not service.get("profiles") or set(service["profiles"]) & profiles
    }


def env_of(text: str, service: str) -> dict[str, str]:
    return {k: str(v) for k, v in services(text)[service].get("environment", {}).items()}


def words(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def container_settings(text: str, service: str, *names: str) -> dict:
    """The settings the container computes from its environment (nothing is contacted)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", **env_of(text, service)}
    return settings_in(env, *names)


SERVER = env_text(SERVER_ENV)


@pytest.mark.parametrize("service", ["web", "worker", "beat", "migrate", "demo", "backup"])
def test_every_variable_of_a_servers_env_reaches_the_sites_containers(service):
    env = env_of(SERVER, service)
    assert {name: env.get(name) for name in SERVER_ENV} == SERVER_ENV


def test_a_server_without_the_local_profile_runs_nothing_that_stands_in_for_a_provider():
    config = services(SERVER)
    running = active(config, set())
    assert not running & LOCAL
    assert {"proxy", "web", "worker", "beat", "migrate", "postgres", "redis", "cache"} <= running
    for name in APP:
        env = env_of(SERVER, name)
        assert not {"EMAIL_BACKEND", "EMAIL_HOST", "AWS_S3_ENDPOINT_URL"} & set(env), name
    values = container_settings(SERVER, "worker", "EMAIL_BACKEND", "ANYMAIL", "STORAGES")
    assert values["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert values["ANYMAIL"]["POSTMARK_SERVER_TOKEN"] == SERVER_ENV["ANYMAIL_API_KEY"]
    private = values["STORAGES"]["private"]["OPTIONS"]
    assert private["bucket_name"] == "smp-example-photos" and private["endpoint_url"] is None


def test_a_servers_containers_pass_the_deploy_check():
    """HTTPS behind the proxy, the ESP, Sentry: `check --deploy` finds nothing."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", **env_of(SERVER, "web")}
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_interpolation_is_left_blank():
    """Every ${X} either has a default or refuses to start: none becomes "" unnoticed."""
    assert "is not set" not in compose_config(SERVER)[2]
    assert "is not set" not in compose_config(example_filled_in())[2]


@pytest.mark.parametrize("secret", SECRETS)
def test_compose_refuses_to_start_without_a_secret(secret):
    status, _, errors = compose_config(
        env_text({k: v for k, v in SERVER_ENV.items() if k != secret})
    )
    assert status != 0 and f"set {secret} in .env" in errors


def test_the_example_env_runs_the_local_profile_with_its_stand_ins():
    example = example_filled_in()
    config = services(example)
    profiles = set(env_of(example, "web")["COMPOSE_PROFILES"].split(","))
    assert LOCAL <= active(config, profiles)
    values = container_settings(
        example,
        "web",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "STORAGES",
        "SECURE_SSL_REDIRECT",
        "CONTENT_SECURITY_POLICY",
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("mailpit", 1025)
    assert "mailpit" in config
    public = values["STORAGES"]["default"]["OPTIONS"]
    assert public["endpoint_url"] == "http://s3:8333"
    assert public["browser_endpoint_url"] == "http://localhost:9000"
    assert values["SECURE_SSL_REDIRECT"] is False  # plain http on localhost
    assert "http://localhost:9000" in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]


def test_the_local_s3_server_takes_the_sites_keys_and_never_serves_the_private_bucket():
    example = example_filled_in()
    site, s3 = env_of(example, "web"), env_of(example, "s3")
    assert (s3["S3_ACCESS_KEY"], s3["S3_SECRET_KEY"]) == (
        site["AWS_ACCESS_KEY_ID"],
        site["AWS_SECRET_ACCESS_KEY"],
    )
    assert s3["PUBLIC_BUCKET"] == site["AWS_STORAGE_BUCKET_NAME"]
    assert site["AWS_PRIVATE_BUCKET_NAME"] != site["AWS_STORAGE_BUCKET_NAME"]
    script = words(services(example)["s3"])[-1].replace("$$", "$")  # config's escaping
    anonymous = re.findall(r'"name": "anonymous", "actions": \[([^]]*)\]', script)
    assert anonymous == ['"Read:$PUBLIC_BUCKET"']
    assert env_of(example, "createbuckets")["BUCKETS"].split() == [
        site["AWS_STORAGE_BUCKET_NAME"],
        site["AWS_PRIVATE_BUCKET_NAME"],
    ]


@pytest.mark.parametrize(
    "profiles", [set(), {"local"}, {"demo"}, {"backup"}, {"local", "demo", "backup"}]
)
def test_no_service_waits_on_one_its_profiles_leave_out(profiles):
    """Compose refuses `up` when a running service depends on one a profile leaves out."""
    config = services(SERVER)
    running = active(config, profiles)
    for name in running:
        needs = set(config[name].get("depends_on", {}))
        assert needs <= running, f"{name} needs {needs - running} with profiles {profiles}"


def test_every_service_waited_on_as_healthy_has_a_healthcheck():
    config = services(SERVER)
    for name, service in config.items():
        for needed, condition in service.get("depends_on", {}).items():
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in config[needed], f"{name} waits on {needed}"


def test_every_service_the_readme_names_is_there():
    readme = (ROOT / "README.md").read_text()
    for name in services(SERVER):
        assert f"`{name}`" in readme, name


def test_only_the_proxy_publishes_a_port_on_every_interface():
    """One way in: the proxy. Anything else published stays on the host's loopback."""
    public = []
    for name, service in services(example_filled_in()).items():
        for port in service.get("ports", []):
            host = port.get("host_ip", "") if isinstance(port, dict) else str(port)
            if not host.startswith("127.0.0.1"):
                public.append(name)
    assert public == ["proxy"]
    config = services(SERVER)
    assert not config["web"].get("ports") and "container_name" not in config["web"]
    assert config["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_image_is_pinned_to_a_version():
    for service in services(SERVER).values():
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
    config = config_for(SERVER)
    env = env_of(SERVER, "web")
    cache_url, queue_url = env["REDIS_URL"], env["CELERY_BROKER_URL"]
    cache, queue = _redis_of(cache_url), _redis_of(queue_url)
    assert cache != queue
    for name in ("worker", "beat"):
        assert env_of(SERVER, name)["CELERY_BROKER_URL"] == queue_url
    broker = config["services"][queue[0]]
    command = " ".join(broker["command"])
    assert "--appendonly yes" in command and "--maxmemory-policy noeviction" in command
    volume = broker["volumes"][0].split(":")[0]
    assert broker["volumes"][0].split(":")[1] == "/data" and volume in config["volumes"]
    if cache[0] != queue[0]:
        command = " ".join(config["services"][cache[0]]["command"])
        assert "--maxmemory " in command and "--maxmemory-policy allkeys-lru" in command
    for name in {cache[0], queue[0], "postgres"}:
        assert "ports" not in config["services"][name], f"{name} is reachable from outside"


def _shell_steps(service: dict) -> list[list[str]]:
    """`sh -c "a && b && c"` as [[a...], [b...], [c...]]."""
    parts = words(service)
    if parts[:2] == ["sh", "-c"]:
        return [shlex.split(step) for step in parts[2].split("&&")]
    return [parts]


def test_migrations_run_once_in_their_own_job_and_static_files_at_build():
    config = services(SERVER)
    commands = get_commands()
    steps = _shell_steps(config["migrate"])
    assert steps[0] == ["python", "manage.py", "migrate", "--noinput"]
    for parts in steps + _shell_steps(config["demo"]):
        assert parts[:2] == ["python", "manage.py"] and parts[2] in commands, parts
    assert config["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat", "demo"):
        depends = config[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert "migrate" not in " ".join(words(config[name]))
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^RUN (.*\\\n)*.*manage\.py collectstatic --noinput", dockerfile, re.M)


def test_demo_data_is_loaded_only_in_the_demo_profile():
    config = services(SERVER)
    assert words(config["demo"]) == ["python", "manage.py", "load_demo"]
    assert config["demo"]["profiles"] == ["demo"]
    assert env_of(SERVER, "demo")["DEMO_DATA"] == "true"
    for name in active(config, set()):
        if "build" in config[name]:
            assert "load_demo" not in " ".join(words(config[name]))
            assert "DEMO_DATA" not in env_of(SERVER, name)


def test_only_the_demo_profile_builds_an_image_with_the_sample_datas_drawing_library():
    config = services(SERVER)
    assert config["demo"]["build"]["args"] == {"WITH_DEMO": "true"}
    for name in active(config, {"local", "backup"}):
        assert "args" not in config[name].get("build", {}), name
    base = (ROOT / "requirements" / "base.txt").read_text()
    assert (
        "resvg-py==" not in base
        and "resvg-py==" in (ROOT / "requirements" / "demo.txt").read_text()
    )


def test_healthchecks_need_no_host_name():
    config = services(SERVER)
    web = " ".join(config["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/ready/" in web
    assert "8000" in env_of(SERVER, "web")["GUNICORN_BIND"]
    worker = " ".join(config["worker"]["healthcheck"]["test"])
    assert "celery -A smp_site inspect ping" in worker
    beat = " ".join(config["beat"]["healthcheck"]["test"])
    schedule = words(config["beat"])[words(config["beat"]).index("--schedule") + 1]
    assert schedule in beat


def test_gunicorn_runs_an_importable_application_with_a_config_that_exists():
    parts = words(services(SERVER)["web"])
    assert parts[:2] == ["gunicorn", "-c"] and (ROOT / parts[2]).is_file()
    assert callable(import_module(parts[3]).application)


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_projects_celery_app(service, subcommand):
    from celery import Celery
    from celery.app.utils import find_app

    parts = words(services(SERVER)[service])
    assert parts[:3] == ["celery", "-A", "smp_site"] and parts[3] == subcommand
    app = find_app(parts[2])
    assert isinstance(app, Celery) and app.main == "smp_site"


def test_the_backup_service_runs_the_backup_module_into_a_folder_of_the_host():
    config = services(SERVER)["backup"]
    assert config["entrypoint"][:3] == ["python", "-m", "deploy.backup"]
    assert callable(import_module("deploy.backup").main)
    target = config["command"][config["command"].index("--to") + 1]
    assert any(volume.split(":")[1] == target for volume in config["volumes"])


def test_every_variable_the_compose_file_sets_is_one_the_project_reads():
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    source = "".join(p.read_text() for p in (ROOT / "smp_site").glob("*.py"))
    gunicorns = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    for name in ("web", "demo"):
        for variable in raw["services"][name]["environment"]:
            assert f'"{variable}"' in source or f'"{variable}"' in gunicorns, variable


def test_the_dockerfile_installs_the_lock_file_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    # The base lock file, with its hashes, whatever folder it is copied to.
    assert re.search(r"^COPY requirements/base\.txt ", dockerfile, re.M)
    assert re.search(r"pip install --require-hashes -r \S*requirements/base\.txt", dockerfile)
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".env" in ignored and "backups" in ignored


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


def test_each_worker_runs_a_known_number_of_processes_whatever_the_hosts_cpus():
    """Celery's default is a process per CPU, each with a database connection."""
    assert container_settings(SERVER, "worker", "CELERY_WORKER_CONCURRENCY") == {
        "CELERY_WORKER_CONCURRENCY": 2
    }
    more = env_text({**SERVER_ENV, "WORKER_CONCURRENCY": "4"})
    assert container_settings(more, "worker", "CELERY_WORKER_CONCURRENCY") == {
        "CELERY_WORKER_CONCURRENCY": 4
    }


def proxy_config(tmp_path: Path, env: dict[str, str]) -> str:
    """The config deploy/nginx/run.sh writes for this environment (an `nginx` that only
    says it started stands in for the real one, which the compose image brings)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nginx").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "nginx").chmod(0o755)
    run_dir = tmp_path / "nginx"
    result = subprocess.run(
        ["sh", str(ROOT / "deploy" / "nginx" / "run.sh")],
        env={
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            **env,
            "NGINX_RUN_DIR": str(run_dir),
            "NGINX_USER": "nobody",
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return (run_dir / "nginx.conf").read_text()


def upstream_block(config: str) -> str:
    return re.search(r"upstream app \{(.*?)\}", config, re.S).group(1)


def test_the_proxy_looks_web_up_again_so_scaled_and_replaced_containers_get_requests(tmp_path):
    proxy = env_of(SERVER, "proxy")
    if not shutil.which("envsubst"):
        missing("envsubst is not installed (apt-get install gettext-base)")
    upstream = upstream_block(proxy_config(tmp_path, proxy))
    assert f"resolver {proxy['NGINX_RESOLVER']} valid=10s" in upstream
    assert proxy["NGINX_RESOLVER"] == "127.0.0.11"  # Docker's embedded DNS
    assert re.search(r"server web:8000 resolve;", upstream)
    assert "zone app " in upstream  # `resolve` keeps the addresses in a shared zone
    image = services(SERVER)["proxy"]["image"]
    major, minor, patch = map(int, image.split(":")[1].split("."))
    assert (major, minor, patch) >= (1, 27, 3)  # the first open-source nginx with `resolve`


def test_make_prod_names_its_gunicorn_by_address_and_looks_nothing_up(tmp_path):
    upstream = upstream_block(
        proxy_config(
            tmp_path, {"NGINX_LISTEN": "127.0.0.1:8701", "NGINX_UPSTREAM": "127.0.0.1:8702"}
        )
    )
    assert upstream.split() == ["server", "127.0.0.1:8702;"]


TLS_ENV = {
    **SERVER_ENV,
    "COMPOSE_FILE": "docker-compose.yml:deploy/compose.tls.yml",
    "TLS_CERTIFICATE": "/etc/letsencrypt/live/smp.example/fullchain.pem",
    "TLS_CERTIFICATE_KEY": "/etc/letsencrypt/live/smp.example/privkey.pem",
    "HTTP_PORT": "80",
}


def test_https_is_a_matter_of_env_alone_and_the_proxy_gets_the_certificate():
    proxy = services(env_text(TLS_ENV))["proxy"]
    env = {k: str(v) for k, v in proxy["environment"].items()}
    assert env["NGINX_TLS_CERTIFICATE"] == TLS_ENV["TLS_CERTIFICATE"]
    assert env["NGINX_TLS_CERTIFICATE_KEY"] == TLS_ENV["TLS_CERTIFICATE_KEY"]
    published = {(str(p["published"]), str(p["target"])) for p in proxy["ports"]}
    assert published == {("80", "8080"), ("443", env["NGINX_TLS_LISTEN"])}
    # The certificate's folder, read-only, at the host's own path (certbot's links hold).
    assert "/etc/letsencrypt:/etc/letsencrypt:ro" in proxy["volumes"]
    assert TLS_ENV["TLS_CERTIFICATE"].startswith("/etc/letsencrypt/")


@pytest.mark.parametrize("name", ["TLS_CERTIFICATE", "TLS_CERTIFICATE_KEY"])
def test_https_refuses_to_start_without_the_certificates_files(name):
    status, _, errors = compose_config(env_text({k: v for k, v in TLS_ENV.items() if k != name}))
    assert status != 0 and f"set {name} in .env" in errors
