"""The layers of the project's imports: the shared library (common/) imports no domain app
and not the site's configuration, so any app can use it and it never pulls an app in.
(`python3 ../shared/tools/import_graph.py .` checks cycles and the directory's edges.)"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's own top-level packages: every folder beside manage.py with Python in it.
PROJECT = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports, imports inside functions included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_project_packages_are_found():
    assert {"common", "smp_site", "clinics", "applications", "credentials"} <= PROJECT


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("common/**/*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_shared_library_imports_no_domain_app(path):
    assert _imports(path) & PROJECT <= {"common"}


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("clinics/**/*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_directory_imports_no_application_code(path):
    """Applications use the directory (an application is a pending clinic), not the reverse."""
    assert not _imports(path) & {"applications", "quotes", "reviews", "articles"}
