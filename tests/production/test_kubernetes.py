"""deploy/kubernetes/: valid against Kubernetes' schemas (kubernetes-validate, which ships
them: nothing is fetched), and holding to the contract of docs/deployment.md ("Past one
server"): one image, probes the site answers, requests for every container, a single beat,
a migrate Job of commands that exist, secrets only by reference, disruption budgets that
select pods, shutdown times that let gunicorn and Celery finish."""

import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from tests.core.test_docs import environment_variables
from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "deploy" / "kubernetes"
FILES = sorted(FOLDER.glob("*.yaml"))
RESOURCES = [doc for path in FILES for doc in yaml.safe_load_all(path.read_text()) if doc]


def of_kind(kind: str) -> list[dict]:
    return [r for r in RESOURCES if r["kind"] == kind]


def named(kind: str, name: str) -> dict:
    (found,) = [r for r in of_kind(kind) if r["metadata"]["name"] == name]
    return found


def pod_specs() -> list[tuple[str, dict]]:
    return [
        (r["metadata"]["name"], r["spec"]["template"]["spec"])
        for r in of_kind("Deployment") + of_kind("Job")
    ]


def containers() -> list[tuple[str, dict]]:
    return [(name, c) for name, spec in pod_specs() for c in spec["containers"]]


def validator() -> str:
    program = shutil.which("kubernetes-validate", path=str(ROOT / ".venv" / "bin"))
    if program is None:
        missing("kubernetes-validate is not installed (make install-dev)")
    return program


# The oldest release the big providers still run, and the newest the package knows.
@pytest.mark.parametrize("version", ["1.30.0", None])
def test_every_manifest_is_valid_against_the_kubernetes_schemas(version):
    command = [validator(), "--strict", "--quiet", *map(str, FILES)]
    if version:
        command[1:1] = ["-k", version]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_what_kubernetes_would(tmp_path):
    web = named("Deployment", "smp-web")
    broken = {**web, "spec": {**web["spec"], "replicas": "two"}}
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken))
    result = subprocess.run(
        [validator(), "--strict", str(tmp_path / "broken.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "spec.replicas" in result.stdout + result.stderr


def test_web_worker_beat_and_migrate_run_one_image_with_the_same_settings():
    images = {c["image"] for _, c in containers()}
    assert len(images) == 1 and re.search(r":\d+\.\d+\.\d+$", images.pop())  # one release
    for name, container in containers():
        sources = [next(iter(s.values()))["name"] for s in container["envFrom"]]
        assert sources == ["smp-config", "smp-secrets"], name


def test_secrets_are_only_referenced_and_the_config_holds_what_the_site_reads():
    assert not of_kind("Secret")  # made by the operator, never committed
    config = named("ConfigMap", "smp-config")["data"]
    secret_like = re.compile(r"SECRET|PASSWORD|_KEY|TOKEN|DSN|DATABASE_URL|REDIS_URL")
    assert not [name for name in config if secret_like.search(name)]
    read = environment_variables()
    assert not [name for name in config if name not in read], "nothing reads these"


def test_every_container_asks_for_cpu_and_memory_and_is_capped_in_memory():
    for name, container in containers():
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), name
        assert "memory" in resources["limits"], name


def test_web_probes_ask_addresses_the_site_answers_and_rolls_out_without_losing_capacity():
    web = named("Deployment", "smp-web")
    container = web["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        path = container[probe]["httpGet"]["path"]
        assert resolve(path).url_name, path
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz/ready/"
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    bind = {e["name"]: e["value"] for e in container["env"]}["GUNICORN_BIND"]
    assert bind.endswith(f":{container['ports'][0]['containerPort']}")


def test_shutdown_lasts_long_enough_for_requests_and_tasks_to_finish(settings):
    """SIGTERM, then the grace period, then SIGKILL: gunicorn's graceful timeout (after
    the preStop pause) and a task's hard time limit fit inside it."""
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    web = named("Deployment", "smp-web")["spec"]["template"]["spec"]
    pause = int(web["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert web["terminationGracePeriodSeconds"] > pause + gunicorn["graceful_timeout"]
    worker = named("Deployment", "smp-worker")["spec"]["template"]["spec"]
    assert worker["terminationGracePeriodSeconds"] >= settings.CELERY_TASK_TIME_LIMIT


def test_there_is_exactly_one_beat_and_a_rollout_never_runs_two():
    beats = [
        r
        for r in of_kind("Deployment")
        if "beat" in r["spec"]["template"]["spec"]["containers"][0]["command"]
    ]
    assert [b["metadata"]["name"] for b in beats] == ["smp-beat"]
    assert beats[0]["spec"]["replicas"] == 1
    assert beats[0]["spec"]["strategy"]["type"] == "Recreate"
    assert not [p for p in of_kind("PodDisruptionBudget") if p["metadata"]["name"] == "smp-beat"]


def test_worker_concurrency_is_pinned():
    worker = named("Deployment", "smp-worker")
    command = worker["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[:4] == ["celery", "-A", "smp_site", "worker"]
    assert any(re.fullmatch(r"--concurrency=\d+", word) for word in command)


def test_the_migrate_job_runs_commands_that_exist_and_nothing_else_migrates():
    job = named("Job", "smp-migrate")
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[:2] == ["sh", "-c"]
    steps = [shlex.split(step) for step in command[2].split("&&")]
    assert steps[0] == ["python", "manage.py", "migrate", "--noinput"]
    for words in steps:
        assert words[:2] == ["python", "manage.py"] and words[2] in get_commands(), words
    for name, container in containers():
        if name != "smp-migrate":
            assert "migrate" not in " ".join(container["command"]), name


def test_disruption_budgets_and_the_service_select_pods_that_exist():
    labels = [r["spec"]["template"]["metadata"]["labels"] for r in of_kind("Deployment")]

    def selects(selector: dict) -> bool:
        return any(selector.items() <= pod.items() for pod in labels)

    for budget in of_kind("PodDisruptionBudget"):
        assert selects(budget["spec"]["selector"]["matchLabels"]), budget["metadata"]["name"]
    service = named("Service", "smp-web")
    assert selects(service["spec"]["selector"])
    backend = named("Ingress", "smp-web")["spec"]["rules"][0]["http"]["paths"][0]["backend"]
    assert backend["service"]["name"] == "smp-web"


def test_the_ingress_buffers_uploads_as_deploy_nginx_does():
    """gunicorn's sync workers must never read a phone's upload at the phone's pace."""
    notes = named("Ingress", "smp-web")["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/proxy-request-buffering"] == "on"
    template = (ROOT / "deploy" / "nginx" / "nginx.conf.template").read_text()
    body = re.search(r"client_max_body_size (\d+)m;", template).group(1)
    assert notes["nginx.ingress.kubernetes.io/proxy-body-size"] == f"{body}m"
