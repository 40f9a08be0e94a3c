"""`make lint`'s migration check (django-migration-linter with pyproject.toml's settings, on
PostgreSQL) against migrations written the way that breaks a deploy and the ways that do
not: between `migrate` and the restart, the old code inserts rows without the new column."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.integration.conftest import database_url
from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.services, pytest.mark.django_db]

INITIAL = """
from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name="Probe",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=20)),
            ],
        ),
    ]
"""

ADD_COLUMN = """
from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [("lintprobe", "0001_initial")]
    operations = [migrations.AddField("probe", "count", {field})]
"""


def lint(tmp_path: Path, field: str) -> subprocess.CompletedProcess:
    app = tmp_path / "lintprobe"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "migrations" / "0001_initial.py").write_text(INITIAL)
    (app / "migrations" / "0002_probe_count.py").write_text(ADD_COLUMN.format(field=field))
    (tmp_path / "probe_settings.py").write_text(
        "from smp_site.settings import *  # noqa: F403\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'lintprobe']  # noqa: F405\n"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "lintprobe", "--no-cache", "-q", "ok"],
        cwd=ROOT,  # pyproject.toml's settings, as make lint reads them
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "probe_settings",
            "DATABASE_URL": database_url(),
            "LOG_LEVEL": "WARNING",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        missing("the migration linter reads PostgreSQL's SQL: set DATABASE_URL=postgres://...")


def test_a_not_null_column_without_a_database_default_fails(tmp_path):
    result = lint(tmp_path, "models.IntegerField(default=0)")
    assert result.returncode != 0
    assert "(lintprobe, 0002_probe_count)... ERR" in result.stdout
    assert "NOT NULL constraint on columns" in result.stdout


@pytest.mark.parametrize(
    "field",
    [
        "models.IntegerField(db_default=0)",  # the database fills what old code leaves out
        "models.IntegerField(null=True)",  # nullable first, NOT NULL in a later release
    ],
)
def test_a_column_the_running_code_can_live_with_passes(tmp_path, field):
    result = lint(tmp_path, field)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid migrations: 2/2" in result.stdout  # both linted, neither ignored
