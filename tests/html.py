"""Helpers for comparing pages."""

import re


def without_tokens(html: bytes) -> bytes:
    """The page without its per-visitor values (the CSRF token of every page's language
    switcher and forms, a form's one-time token): two visitors' copies of one page are
    otherwise the same bytes."""
    return re.sub(rb'name="(csrfmiddlewaretoken|form_token)" value="[^"]*"', b"", html)
