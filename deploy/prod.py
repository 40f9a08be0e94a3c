"""`make prod PORT=...`: the production arrangement on one machine, without Docker.

nginx (deploy/nginx: the same config as docker-compose's `proxy`) in front of gunicorn
(deploy/gunicorn.conf.py), a Celery worker and Celery beat, all against DATABASE_URL and
REDIS_URL with DEBUG off. Before they start: `migrate`, `collectstatic` and
`compilemessages`, once. Ctrl-C
stops them all; so does any one of them ending. Tests start the same Arrangement.

Run it as `python -m deploy.prod --port 8080` from the project's top folder (make prod
does, in the virtualenv). Each process logs to its own file in <run-dir>/logs/.

A new release without a failed request: SIGHUP to this process (`make reload`, through
<run-dir>/prod.pid) runs `migrate` and `collectstatic` for the new code, then SIGHUP to
gunicorn, which starts workers with the new code and lets the old ones finish their
requests (the listening socket never closes, so nginx never sees a refused connection);
then the worker and beat stop after their current tasks and start again.
"""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(base: dict[str, str], *, port: int, run_dir: Path) -> dict[str, str]:
    """Production settings for one machine over plain http; what `base` sets wins."""
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not base.get(name)]
    if missing:
        raise SystemExit(f"make prod needs {' and '.join(missing)} (PostgreSQL and Redis).")
    key_file = run_dir / "secret-key"
    if "SECRET_KEY" not in base and not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    defaults = {
        "DEBUG": "false",
        "DEMO_DATA": "false",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        # Plain http on this machine; a real deployment terminates TLS at the proxy and
        # keeps the https defaults (README: Production).
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "TRUSTED_PROXY_COUNT": "1",  # nginx
        "STATIC_ROOT": str(run_dir / "static"),
        "WEB_CONCURRENCY": "2",
    }
    env = {**defaults, **base}
    env.setdefault("SECRET_KEY", key_file.read_text().strip() if key_file.exists() else "")
    return env


def _wait_for_group(pgid: int, timeout: float = 20) -> None:
    """Until every process of a group has ended (a Celery pool's children, gunicorn's
    workers, each with a database connection, may outlive their parent by a moment),
    then SIGKILL to whatever is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


@dataclass
class Arrangement:
    """nginx, gunicorn, a worker and beat, started and stopped together."""

    port: int
    env: dict[str, str]
    run_dir: Path
    host: str = "127.0.0.1"
    worker: bool = True
    app_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.run_dir / "logs" / f"{name}.log"

    def prepare(self) -> None:
        for command in (
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput", "-v0"],
            ["compilemessages", "-v0"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=self.env, check=True
            )

    def _commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        python = sys.executable
        commands = {
            "gunicorn": (
                [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "smp_site.wsgi"],
                {"GUNICORN_BIND": f"127.0.0.1:{self.app_port}"},
            ),
            "nginx": (
                ["sh", "deploy/nginx/run.sh"],
                {
                    "NGINX_LISTEN": f"{self.host}:{self.port}",
                    "NGINX_UPSTREAM": f"127.0.0.1:{self.app_port}",
                    "NGINX_RUN_DIR": str(self.run_dir / "nginx"),
                },
            ),
        }
        if self.worker:
            celery = [python, "-m", "celery", "-A", "smp_site"]
            schedule = str(self.run_dir / "celerybeat-schedule")
            commands["worker"] = ([*celery, "worker", "--loglevel=INFO"], {})
            commands["beat"] = ([*celery, "beat", "--loglevel=INFO", "--schedule", schedule], {})
        return commands

    def reload(self) -> None:
        """The new release's code in every process, with no request failed (module docstring)."""
        self.prepare()
        os.kill(self.processes["gunicorn"].pid, signal.SIGHUP)
        for name in ("worker", "beat"):
            if name in self.processes:
                self.stop_process(name)
                self.start_process(name)

    def stop_process(self, name: str, timeout: float = 60) -> None:
        """SIGTERM: gunicorn's workers finish their requests, Celery's worker its tasks."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def start_process(self, name: str) -> None:
        """Start one of the arrangement's processes (again, after it was stopped)."""
        command, extra = self._commands()[name]
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=self.log(name).open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self, timeout: float = 120) -> None:
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        for name in self._commands():
            self.start_process(name)
        try:
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ended = [name for name, process in self.processes.items() if process.poll() is not None]
            if ended:
                raise RuntimeError(f"{', '.join(ended)} ended at start: see {self.run_dir}/logs")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz/ready/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"not ready after {timeout}s: see {self.run_dir}/logs")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            _wait_for_group(process.pid)

    def watch(self) -> int:
        """Until Ctrl-C or SIGTERM, or until one process ends (then all stop); SIGHUP
        reloads."""
        stopping, reloading = [], []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *args: stopping.append(True))
        signal.signal(signal.SIGHUP, lambda *args: reloading.append(True))
        while not stopping:
            if reloading:
                reloading.clear()
                try:
                    self.reload()
                except subprocess.CalledProcessError as error:
                    print(f"reload stopped, the running code goes on: {error}", file=sys.stderr)
                else:
                    print(
                        "reloaded: gunicorn replaces its workers; the worker and beat restarted",
                        flush=True,
                    )
            ended = [name for name, process in self.processes.items() if process.poll() is not None]
            if ended:
                print(f"{', '.join(ended)} ended; stopping the rest", file=sys.stderr)
                self.stop()
                return 1
            time.sleep(0.5)
        self.stop()
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1", help="the address nginx listens on")
    parser.add_argument("--run-dir", type=Path, default=ROOT / "var" / "prod")
    args = parser.parse_args(argv)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    env = environment(dict(os.environ), port=args.port, run_dir=args.run_dir)
    arrangement = Arrangement(port=args.port, env=env, run_dir=args.run_dir, host=args.host)
    arrangement.prepare()
    arrangement.start()
    pid_file = args.run_dir / "prod.pid"
    pid_file.write_text(str(os.getpid()))
    print(
        f"Serving {arrangement.url}/ through nginx; logs in {args.run_dir}/logs. "
        "Ctrl-C stops; make reload loads a new release.",
        flush=True,
    )
    try:
        return arrangement.watch()
    finally:
        pid_file.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
