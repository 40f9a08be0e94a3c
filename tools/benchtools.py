"""Load tools for `manage.py bench`: wrk for pages, a Redis of its own, a threaded client
for the quote POST."""

import http.client
import io
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlparse

# wrk's script for a spread of addresses: a random path of a list per request.
SPREAD_SCRIPT = Path(__file__).with_name("bench_spread.lua")

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def found(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of a pattern that must be in a tool's output (wrk, /proc, a page)."""
    match = re.search(pattern, text, flags)
    if match is None:
        raise ValueError(f"{pattern!r} not found in: {text[:500]!r}")
    return match.group(1)


def _ms(text: str) -> float:
    number = found(r"^([\d.]+)(?:us|ms|s|m)$", text)
    unit = text[len(number) :]
    return float(number) * _UNITS[unit]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(
    url: str,
    seconds: int,
    connections: int,
    paths: Path | None = None,
    headers: dict[str, str] | None = None,
) -> dict:
    """Requests per second and latency percentiles from wrk, run as a second process.

    With `paths` (a file of one path a line), each request asks for one of them at random
    (tools/bench_spread.lua), against the server `url` names.
    """
    command = ["wrk", "--latency", f"-t{min(2, connections)}", f"-c{connections}"]
    # wrk gives up on a response after 2 s by default, and leaves it out of the figures:
    # a cold page at 10,000 clinics on a busy machine may take longer, and must count.
    command += ["--timeout", "30s", f"-d{seconds}s", url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    if paths is not None:
        command[1:1] = ["-s", str(SPREAD_SCRIPT)]
        command += ["--", str(paths)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(found(r"(\d+) requests in", out))
    rps = float(found(r"Requests/sec:\s+([\d.]+)", out))
    p50 = _ms(found(r"^\s+50%\s+(\S+)", out, re.M))
    p99 = _ms(found(r"^\s+99%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.+)", out)
    result: dict[str, float | int | str] = {
        "rps": round(rps, 1),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "requests": requests,
    }
    if errors:
        result["errors"] = int(errors.group(1))
    if socket_errors:
        result["socket_errors"] = socket_errors.group(1).strip()
    return result


class LocalRedis:
    """A redis-server of the bench's own: a free loopback port, a temporary directory,
    nothing written to disk, stopped by `stop()`.

    So that the bench may flush its databases between runs without touching the Redis
    other people on the machine use (the default local server is shared).
    """

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: apt-get install -y redis-server")
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="bench-redis-")
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.directory]
            + ["--save", "", "--appendonly", "no", "--databases", "4", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._wait_until_it_answers()

    def _wait_until_it_answers(self) -> None:
        import redis

        deadline = time.monotonic() + 20
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        self.stop()
                        raise RuntimeError(
                            f"redis-server did not start on port {self.port}"
                        ) from None
                    # A process starting up: there is no event to wait on but its port.
                    time.sleep(0.05)
        finally:
            client.close()

    def version(self) -> str:
        import redis

        client = redis.Redis.from_url(self.url)
        try:
            return str(client.info("server")["redis_version"])
        finally:
            client.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def jpeg_of_size(target: int, size=(4000, 3000)) -> bytes:
    """A real photo-like JPEG (noise over a gradient) of about `target` bytes, padded exactly."""
    from PIL import Image

    noise = Image.effect_noise(size, 60).convert("RGB")
    buffer = io.BytesIO()
    quality = 95
    while True:
        buffer.seek(0)
        buffer.truncate()
        noise.save(buffer, "JPEG", quality=quality)
        if buffer.tell() <= target or quality <= 40:
            break
        quality -= 5
    data = buffer.getvalue()[:target]
    return data + b"\0" * (target - len(data))


def _multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        header = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{header}{value}\r\n".encode())
    for name, filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def quote_post_latencies(site, secret: str, total: int = 40, concurrency: int = 4) -> dict:
    """p50/p99 of the quote POST with three 5 MB photos, each request a distinct client."""
    from django.core import signing

    from common.forms import FORM_TOKEN_SALT

    photo = jpeg_of_size(5 * 1024 * 1024)
    city_id = (
        site.manage(
            "shell",
            "-c",
            (
                "from clinics.models import City; "
                "print(City.objects.get(slug='scale-samplebury').pk)"
            ),
        )
        .strip()
        .splitlines()[-1]
    )
    parsed = urlparse(site.url("/quote/"))
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(count: int) -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        conn.request("GET", "/quote/")
        response = conn.getresponse()
        html = response.read().decode()
        cookie = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value
        csrf = found(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        for _ in range(count):
            token = signing.dumps(
                {"n": uuid.uuid4().hex, "t": time.time() - 30}, key=secret, salt=FORM_TOKEN_SALT
            )
            body, content_type = _multipart(
                {
                    "csrfmiddlewaretoken": csrf,
                    "form_token": token,
                    "name": "Bench Client",
                    "email": f"bench-{uuid.uuid4().hex[:8]}@client.example",
                    "city": city_id,
                    "mode": "city",
                    "message": "Benchmark request.",
                    "consent": "on",
                },
                [("photos", f"photo{n}.jpg", photo) for n in range(3)],
            )
            started = time.perf_counter()
            conn.request(
                "POST",
                "/quote/",
                body,
                {
                    "Content-Type": content_type,
                    "Cookie": f"csrftoken={cookie}",
                    "Referer": site.url("/quote/"),
                },
            )
            reply = conn.getresponse()
            reply.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if reply.status != 302 or "/quote/sent/" not in (reply.getheader("Location") or ""):
                    failures.append(f"{reply.status} {reply.getheader('Location')}")
        conn.close()

    threads = [
        threading.Thread(target=client, args=(total // concurrency,)) for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1),
        "failures": failures[:5],
    }
