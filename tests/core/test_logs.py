"""Logs hold no private link and no query string, and name the request they came from."""

import json
import logging
import subprocess
import sys

import pytest
from django.core import signing

from common.logs import PRIVATE_PREFIXES, RedactFilter, redact
from quotes.links import compare_path, photo_path, reply_path, thanks_path
from reviews.links import write_path
from tests.production.conftest import ROOT
from training.links import seats_path

REPLY_TOKEN = reply_path(42).split("/")[3]
# signing.dumps() compresses a long value: its token starts with ".".
LONG_TOKEN = signing.dumps({"r": 42, "o": "a" * 200}, compress=True)
SECRET_LINES = [
    # The private prefixes however a path spells them (Django logs its 404 as written).
    f"Not Found: /quote/./reply/{REPLY_TOKEN}/",
    f"Not Found: //quote//reply/{REPLY_TOKEN}/",
    f"Not Found: /quote/x/../reply/{REPLY_TOKEN}/",
    f"Not Found: /quote/reply/./{REPLY_TOKEN}/",
    # A token where no prefix says so: another path, a query string, a Referer, a message.
    f"Not Found: /clinics/{REPLY_TOKEN}/",
    f"Not Found: {write_path(42)}",
    f"GET /reviews/yours/?key={REPLY_TOKEN}&x=1 HTTP/1.1",
    f'request: "GET /x HTTP/1.1", referrer: "https://smp.example/quote/./compare/{REPLY_TOKEN}/"',
    f'referrer: "https://smp.example{write_path(7)}"',
    f"Could not open the link {REPLY_TOKEN}",
    f"key={REPLY_TOKEN.replace(':', '%3A')} and {REPLY_TOKEN.replace(':', '%3a')}",
    f"Not Found: /quote/%72eply/{REPLY_TOKEN.replace(':', '%3A')}/",
    f"Bad signature for {LONG_TOKEN}.",
    f"Not Found: {seats_path(3, 'organiser@academy.example')}",
]


@pytest.mark.parametrize(
    "path",
    [
        reply_path(42),
        compare_path(42),
        compare_path(42) + "delete/",
        photo_path(42, 7),
        photo_path(42, None),
        thanks_path(42),
    ],
    # Named ids: a signed link carries the time it was made, and every pytest-xdist worker
    # must collect the same test names.
    ids=["reply", "compare", "delete", "photo", "staff-photo", "thanks"],
)
def test_every_signed_link_the_site_makes_is_redacted(path):
    prefix = next(p for p in PRIVATE_PREFIXES if path.startswith(p))
    token = path[len(prefix) :].split("/", 1)[0]
    line = f"Forbidden (CSRF cookie not set.): {path}"
    assert token not in redact(line)
    assert redact(line) == line.replace(token, "[redacted]")


def test_the_organisers_seat_link_keeps_its_token_out_of_the_logs():
    path = seats_path(42, "organiser@academy.example")
    token = path.split("?", 1)[1]
    assert token not in redact(f"Not Found: {path}")


# Numbered, not named by the line: a token holds the time it was made, and a test's id
# must be the same in every process that collects it.
@pytest.mark.parametrize("line", SECRET_LINES, ids=[f"line{n}" for n in range(len(SECRET_LINES))])
def test_anything_shaped_like_a_signed_token_is_redacted_wherever_it_stands(line):
    clean = redact(line)
    assert "[redacted]" in clean
    for token in (REPLY_TOKEN, LONG_TOKEN, REPLY_TOKEN.split(":")[-1]):
        assert token not in clean
    assert "%3A" not in clean.upper()


def test_a_signed_token_goes_and_the_rest_of_the_line_stays():
    assert redact(f"Not Found: /quote/./reply/{REPLY_TOKEN}/") == (
        "Not Found: /quote/./reply/[redacted]/"
    )
    assert redact(f"Not Found: /clinics/{REPLY_TOKEN}/ (from 127.0.0.1:8000)") == (
        "Not Found: /clinics/[redacted]/ (from 127.0.0.1:8000)"
    )
    assert redact(f"Could not open the link {LONG_TOKEN}.") == "Could not open the link [redacted]."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Not Found: /quote/sent/Q-ABCDE-FGHJK/", "Not Found: /quote/sent/[redacted]/"),
        ("GET /near-me/?lat=53.8&lng=-1.5 HTTP/1.1", "GET /near-me/?[redacted] HTTP/1.1"),
        (
            'https://smp.example/quote/compare/MQ:1x:abc/?done=chosen" x',
            'https://smp.example/quote/compare/[redacted]/?[redacted]" x',
        ),
        ("Sweeper re-enqueued 3 emails", "Sweeper re-enqueued 3 emails"),
        ("What now? Nothing.", "What now? Nothing."),
        ("/clinics/gb/leeds/", "/clinics/gb/leeds/"),
        (
            "2026/12/01 10:00:00 [error] 7#7: *3 timed out",
            "2026/12/01 10:00:00 [error] 7#7: *3 timed out",
        ),
        (
            "Task quotes.tasks.process_quote[8c1e] succeeded in 0.01s: None",
            "Task quotes.tasks.process_quote[8c1e] succeeded in 0.01s: None",
        ),
        ("upstream: http://127.0.0.1:8000/healthz/", "upstream: http://127.0.0.1:8000/healthz/"),
    ],
)
def test_redaction_keeps_what_helps_and_drops_what_leaks(line, expected):
    assert redact(line) == expected


def test_nginx_error_lines_are_redacted_the_same_way():
    """deploy/nginx/redact.sed (for nginx's error log) and common/logs.py agree."""
    lines = [
        "2026/12/01 10:00:00 [error] 7#7: *3 upstream timed out, client: 127.0.0.1, server: _, "
        f'request: "HEAD {reply_path(7)} HTTP/1.1", upstream: "http://127.0.0.1:8000'
        f'{photo_path(9, 3)}?x=1", host: "smp.example"',
        'request: "GET /near-me/?lat=1&lng=2 HTTP/1.1", referrer: "https://smp.example/?q=a"',
        f"Not Found: {thanks_path(5)} and {compare_path(5)}close/",
        "nothing to hide here, nor here?",
        "a \\ backslash /quote/reply/ab\\cd/ stays",
        *SECRET_LINES,
    ]
    sed = subprocess.run(
        ["sed", "-E", "-f", str(ROOT / "deploy" / "nginx" / "redact.sed")],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert sed.stdout.splitlines() == [redact(line) for line in lines]
    assert "[redacted]" in sed.stdout.splitlines()[0]


def test_the_filter_rewrites_messages_arguments_and_tracebacks():
    try:
        raise ValueError(f"bad link {reply_path(5)}")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.WARNING, __file__, 1, "Not Found: %s", (photo_path(5, 2),), sys.exc_info()
        )
    assert RedactFilter().filter(record) is True
    text = logging.Formatter().format(record)
    assert "/quote/photo/[redacted]/" in text and "/quote/reply/[redacted]/" in text
    for path in (reply_path(5), photo_path(5, 2)):
        assert path not in text


@pytest.mark.django_db
def test_each_request_gets_an_id_on_its_log_lines_and_in_its_answer(client, caplog):
    from common.logs import RequestIdFilter

    caplog.set_level(logging.WARNING, logger="django.request")
    caplog.handler.addFilter(RequestIdFilter())  # what the console handler does
    response = client.get("/quote/photo/not-a-token/", HTTP_X_REQUEST_ID="from-the-proxy-123")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "from-the-proxy-123"
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.request_id == "from-the-proxy-123"
    other = client.get("/", HTTP_X_REQUEST_ID="bad id with spaces")
    assert other["X-Request-ID"] != "bad id with spaces" and len(other["X-Request-ID"]) == 32


def test_json_logs_are_one_object_a_line_with_the_request_id_and_no_link(tmp_path):
    script = (
        "import logging, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'smp_site.settings'); django.setup(); "
        f"logging.getLogger('smp').warning('Not Found: %s', {reply_path(3)!r})"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LOG_FORMAT": "json"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "Not Found: /quote/reply/[redacted]/"
    assert entry["request_id"] == "-" and entry["levelname"] == "WARNING"


def test_an_upload_buffered_by_nginx_leaves_no_client_address_in_its_log_line():
    """nginx logs a warning for each request body it buffers to disk (every photo upload),
    naming the client: the address goes, what helps an operator stays (issue 25, item 4)."""
    line = (
        "2026/12/01 10:00:00 [warn] 7#7: *3 a client request body is buffered to a temporary "
        "file /tmp/nginx/client_body/0000000001, client: 203.0.113.9, server: _, "
        'request: "POST /quote/ HTTP/1.1", host: "smp.example", referrer: "https://smp.example/?q=x"'
    )
    sed = subprocess.run(
        ["sed", "-E", "-f", str(ROOT / "deploy" / "nginx" / "redact.sed")],
        input=line + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    for redacted in (sed.stdout.strip(), redact(line)):
        assert "203.0.113.9" not in redacted and "q=x" not in redacted
        assert "client: [redacted]" in redacted
        assert 'request: "POST /quote/ HTTP/1.1"' in redacted
