"""What goes into the logs: never a private link, and always the request it came from.

- `RedactFilter`, on every handler (Django's console handler, gunicorn's error log, the
  Celery worker's, which uses the same LOGGING): a signed link's path is its secret
  (quotes/links.py), so anything shaped like a signed token is replaced wherever it
  stands (a path however it is written, `/quote/./reply/…` or `//quote//reply/…`, a
  Referer, a message), so is the segment after each private prefix, and so is every
  query string (near me's coordinates, an admin search for a client's address). Django
  logs the full path on a 404, a 405 or a CSRF failure; this runs after it, on the text.
- `RequestIdMiddleware` and `RequestIdFilter`: each request gets an id (the proxy's
  X-Request-ID when it sent a sane one, else a fresh one), sent back in the response and
  written on every log line made while it is handled; a Celery task uses its task id.

deploy/nginx/redact.sed applies the same three rules to nginx's error log (run.sh); a
test checks that both redact the same lines. The rules are POSIX extended regular
expressions that Python's `re` reads the same way.
"""

import contextvars
import logging
import re
import uuid

# Every path whose next segment is a secret (quotes/links.py builds them; a test checks
# that each is covered). /quote/sent/<reference>/ is not signed, but names a request.
PRIVATE_PREFIXES = ("/quote/reply/", "/quote/compare/", "/quote/photo/", "/quote/sent/")
REDACTED = "[redacted]"

# The segment after a private prefix, however the path spells it: repeated slashes and
# "." or ".." segments reach Django unchanged (and its 404 log line) when no route matches.
_PRIVATE = re.compile(r"(/+quote(/+\.{1,2})*/+(reply|compare|photo|sent)/+)[^/\s\"'<>?#\\]+")
# A Django signing token wherever it stands: signing.dumps() writes payload:time:signature
# and Signer.sign() value:signature, in base64url (a compressed payload starts with "."),
# the signature 43 characters (SHA-256; 27 for legacy SHA-1). Its colons may come
# percent-encoded. Little else in a log has 27 such characters after a colon, and redacting
# that costs nothing.
_TOKEN = re.compile(r"\.?[A-Za-z0-9_-]+((:|%3[Aa])[A-Za-z0-9_-]+)?(:|%3[Aa])[A-Za-z0-9_-]{27,}")
# A query string: "?" right after a path, up to the next space or quote.
_QUERY = re.compile(r"(/[^\s\"'<>?]*)\?[^\s\"'<>]+")
# The client's address as nginx's error lines name it ("client: 203.0.113.9,"): an upload
# buffered to disk logs one line per photo, and no client address is kept beside it.
_CLIENT = re.compile(r", client: [^,\s]+")


def redact(text: str) -> str:
    """The text with private link tokens and query strings replaced by [redacted]."""
    if "/" not in text and ":" not in text and "%" not in text:
        return text
    text = _PRIVATE.sub(rf"\1{REDACTED}", text)
    text = _TOKEN.sub(REDACTED, text)
    text = _CLIENT.sub(f", client: {REDACTED}", text)
    return _QUERY.sub(rf"\1?{REDACTED}", text)


class RedactFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack in place; never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# Request ids -------------------------------------------------------------------------

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """Gives each request an id for its log lines and its response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("x-request-id", "")
        value = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a 404 or a 500 after the middleware has
        # returned. `request_finished` clears it (common/apps.py).
        request_id.set(value)
        response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


def forget_request_id(**kwargs) -> None:
    request_id.set("-")
