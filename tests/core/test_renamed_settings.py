"""Settings renamed for what they govern still read under their old names, with a warning.

Each case starts a fresh process, as a deployment does: the environment (or a settings
module of the deployment's own) is read once, when the settings load.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# What the process reports: the outbox's first retry delay (product code reading the new
# name), and the deprecation log lines.
SCRIPT = (
    "import django; django.setup(); "
    "from outbox.sending import backoff_seconds; print('delay', backoff_seconds(1))"
)


def _start(tmp_path, settings_module="smp_site.settings", script=SCRIPT, **variables):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": settings_module,
        **variables,
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result


def test_an_old_environment_variable_still_takes_effect_and_is_logged(tmp_path):
    result = _start(tmp_path, QUOTE_SEND_BACKOFF_SECONDS="7")
    assert "delay 7.0" in result.stdout
    assert "WARNING smp_site.settings" in result.stderr
    assert (
        "The environment variable QUOTE_SEND_BACKOFF_SECONDS is deprecated: "
        "call it OUTBOX_SEND_BACKOFF_SECONDS." in result.stderr
    )


def test_the_new_environment_variable_wins_over_the_old_one(tmp_path):
    result = _start(tmp_path, QUOTE_SEND_BACKOFF_SECONDS="7", OUTBOX_SEND_BACKOFF_SECONDS="9")
    assert "delay 9.0" in result.stdout
    assert (
        "The environment sets QUOTE_SEND_BACKOFF_SECONDS and OUTBOX_SEND_BACKOFF_SECONDS: "
        "QUOTE_SEND_BACKOFF_SECONDS is ignored." in result.stderr
    )


def test_a_variable_once_named_apart_from_its_setting_still_reads(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print('page cache', settings.PAGE_CACHE_ENABLED)"
    )
    result = _start(tmp_path, script=script, PAGE_CACHE="false")
    assert "page cache False" in result.stdout
    assert "PAGE_CACHE is deprecated: call it PAGE_CACHE_ENABLED." in result.stderr


def test_an_old_name_in_a_deployments_settings_module_still_takes_effect(tmp_path):
    (tmp_path / "deployment_settings.py").write_text(
        "from smp_site.settings import *  # noqa: F403\nQUOTE_SEND_BACKOFF_SECONDS = 5.0\n"
    )
    result = _start(tmp_path, settings_module="deployment_settings")
    assert "delay 5.0" in result.stdout
    assert (
        "The setting QUOTE_SEND_BACKOFF_SECONDS is deprecated: "
        "call it OUTBOX_SEND_BACKOFF_SECONDS." in result.stderr
    )


def test_the_new_name_in_a_deployments_settings_module_wins(tmp_path):
    (tmp_path / "deployment_settings.py").write_text(
        "from smp_site.settings import *  # noqa: F403\n"
        "QUOTE_SEND_BACKOFF_SECONDS = 5.0\nOUTBOX_SEND_BACKOFF_SECONDS = 11.0\n"
    )
    result = _start(tmp_path, settings_module="deployment_settings")
    assert "delay 11.0" in result.stdout
    assert "QUOTE_SEND_BACKOFF_SECONDS is ignored." in result.stderr


def test_the_current_names_log_nothing(tmp_path):
    result = _start(tmp_path, OUTBOX_SEND_BACKOFF_SECONDS="9")
    assert "delay 9.0" in result.stdout
    assert "smp_site.settings" not in result.stderr


@pytest.mark.parametrize("old, new", sorted(settings.RENAMED_SETTINGS.items()))
def test_every_new_name_is_a_setting_and_no_old_one_is(old, new):
    assert hasattr(settings, new)
    assert not hasattr(settings, old)
