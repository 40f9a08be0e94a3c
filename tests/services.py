"""Tests that need a real service skip without it, and fail instead in CI (REQUIRE_SERVICES=1)."""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing(reason: str) -> None:
    """Skip with a clear reason, or fail when the environment says services are required."""
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)
