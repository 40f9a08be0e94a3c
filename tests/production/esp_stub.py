"""A local server that answers like Postmark's API (POST /email): the edge of the world the
site's emails leave by, for tests in this process and for a `make prod` arrangement alike."""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# While the provider is down it answers as Postmark does when it cannot take mail.
OUTAGE_ANSWER = (503, {"ErrorCode": 100, "Message": "Service temporarily unavailable."})


class PostmarkStub:
    """Records every call. Answers OK unless a test queued (status, body) answers, or set
    `down` (every call refused as an outage, until it is cleared)."""

    def __init__(self):
        self.calls: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        self.down = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with stub._lock:
                    if stub.down:
                        status, answer = OUTAGE_ANSWER
                    elif stub.answers:
                        status, answer = stub.answers.pop(0)
                    else:
                        status, answer = stub.ok(body)
                    stub.calls.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "json": body,
                            "status": status,
                        }
                    )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def ok(self, body: dict) -> tuple[int, dict]:
        return 200, {
            "To": body["To"],
            "SubmittedAt": "2026-03-02T10:00:00.0000000-05:00",
            "MessageID": f"pm-{next(self._ids):04d}",
            "ErrorCode": 0,
            "Message": "OK",
        }

    def emails(self) -> list[dict]:
        """Every email the provider was handed, taken or refused."""
        with self._lock:
            return [call["json"] for call in self.calls if call["path"] == "/email"]

    def delivered(self) -> list[dict]:
        """The emails the provider took."""
        with self._lock:
            return [
                call["json"]
                for call in self.calls
                if call["path"] == "/email" and call["status"] == 200
            ]

    def refused(self) -> int:
        with self._lock:
            return sum(call["status"] != 200 for call in self.calls)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
