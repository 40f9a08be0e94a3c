"""Error tracking through Sentry, without personal data.

Sentry is told nothing a client typed or any private link: `send_default_pii` is off
(no IPs, cookies, users), and `before_send` drops request bodies, cookies, headers that
can carry them, query strings and every signed-link token (common/logs.py), in the
event and in its breadcrumbs, whatever an integration added.
"""

from typing import Any

from common.logs import redact

_DROPPED_HEADERS = {"cookie", "authorization", "x-csrftoken", "referer"}


def _scrub_request(request: dict[str, Any]) -> None:
    request.pop("data", None)
    request.pop("cookies", None)
    request.pop("query_string", None)
    if "url" in request:
        request["url"] = redact(str(request["url"]))
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: redact(str(value))
            for name, value in headers.items()
            if name.lower() not in _DROPPED_HEADERS
        }


def _redact_strings(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_strings(item) for item in value]
    return value


def before_send(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event as Sentry may keep it (a hook of sentry_sdk.init, also used for tests)."""
    if isinstance(event.get("request"), dict):
        _scrub_request(event["request"])
    for key in ("message", "logentry", "exception", "breadcrumbs", "transaction", "extra"):
        if key in event:
            event[key] = _redact_strings(event[key])
    return event


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,  # type: ignore[arg-type]
        before_send_transaction=before_send,  # type: ignore[arg-type]
        integrations=[DjangoIntegration()],
    )
