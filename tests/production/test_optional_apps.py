"""The demo and tools apps: left out of production, brought in by DEMO_DATA, BENCH or DEBUG."""

import json

import pytest

from tests.production.conftest import production_env, run_python, settings_in

_COMMANDS_AND_BENCH_URL = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
import django
django.setup()
from django.core.management import get_commands
from django.urls import Resolver404, resolve
try:
    resolve("/_bench/hello/")
    bench_url = True
except Resolver404:
    bench_url = False
print(json.dumps({"commands": sorted(get_commands()), "bench_url": bench_url}))
"""


def _optional_apps(env: dict[str, str]) -> set[str]:
    return set(settings_in(env, "INSTALLED_APPS")["INSTALLED_APPS"]) & {"demo", "tools"}


@pytest.mark.parametrize(
    ("overrides", "apps"),
    [
        ({}, set()),
        ({"DEMO_DATA": "true"}, {"demo"}),
        ({"BENCH": "1"}, {"tools"}),
        ({"DEBUG": "true", "DEMO_DATA": "false"}, {"tools"}),
    ],
)
def test_production_settings_install_neither_unless_asked(tmp_path, overrides, apps):
    assert _optional_apps(production_env(tmp_path, **overrides)) == apps


def test_with_no_environment_at_all_both_are_installed(tmp_path):
    env = production_env(tmp_path)
    bare = {name: env[name] for name in ("PATH", "HOME", "LANG")}
    assert _optional_apps(bare) == {"demo", "tools"}


def test_production_has_no_demo_or_bench_command_nor_the_bench_url(tmp_path):
    result = run_python(["-c", _COMMANDS_AND_BENCH_URL], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert not {"load_demo", "bench", "bench_pipeline", "lighthouse"} & set(found["commands"])
    assert found["bench_url"] is False


_IMPORT_EVERYTHING_WITHOUT = """
import importlib, importlib.abc, json, os, pkgutil, sys
BLOCKED = set(sys.argv[1:])


class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not installed in production")
        return None


sys.meta_path.insert(0, Blocked())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smp_site.settings")
import django
django.setup()
from django.apps import apps
from django.conf import settings
importlib.import_module(settings.ROOT_URLCONF)
imported = []
for config in apps.get_app_configs():
    if os.path.dirname(config.path) != str(settings.BASE_DIR):  # a library's app
        continue
    imported.append(config.name)
    prefix = config.name + "."
    for module in pkgutil.walk_packages([config.path], prefix):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
            imported.append(module.name)
print(json.dumps(imported))
"""


def test_production_imports_nothing_that_only_the_demo_or_development_installs(tmp_path):
    """Every module of every app production runs imports with the demo's drawing library
    (requirements/demo.txt) and the test and lint tools blocked."""
    blocked = ["resvg_py", "pytest", "factory", "playwright", "moto", "mypy", "ruff"]
    result = run_python(["-c", _IMPORT_EVERYTHING_WITHOUT, *blocked], production_env(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    imported = json.loads(result.stdout)
    assert "common.fingerprints" in imported and "training.zones" in imported
    assert not any(name.startswith(("demo", "tools")) for name in imported)
