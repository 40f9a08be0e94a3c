"""README.md and docs/*.md name only what exists.

A page goes stale quietly: a setting is renamed, a make target dropped, a file moved, a
"hook" described that was never written. This reads every page and checks, in code
spans (and, for commands, in fenced blocks):

1. UPPER_CASE names: a Django setting, or an environment variable something in the
   repository reads;
2. `make <target>`: a target of the Makefile;
3. `manage.py <command>`: a command Django or one of our apps provides;
4. repository paths (`common/page_cache.py`, `templates/<app>/email/`): they exist;
5. dotted Python names (`quotes.signals.request_erased`, `ClinicQuerySet.best_rated_first`):
   they resolve, when they start with one of our packages or one of our classes;
6. site addresses (`/clinics/<country>/`): the URLconf answers them;
7. relative Markdown links: the page or file is there, and the heading a link names.

Small allow-lists below name what is meant not to exist in a checkout (runtime folders,
the shared tooling beside the repository, addresses mounted by a setting), each with why.
"""

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Names in code spans that are not settings: HTTP methods, SQL, iCalendar properties, a
# log level written as a value.
NOT_SETTINGS = {"GET", "HEAD", "POST", "ANALYZE", "PROTECT", "TZID", "VTIMEZONE", "INFO"}
# Environment variables read by libraries rather than by our code.
LIBRARY_VARIABLES = {
    "AWS_DEFAULT_REGION",  # boto3 (anymail's Amazon SES backend)
    "DJANGO_SETTINGS_MODULE",  # Django itself
}
# Paths that exist only once something has run, or outside the repository.
RUNTIME_PREFIXES = (
    "var/",  # the database, emails, bench results, private uploads of a local run
    ".venv/",  # made by make
    "staticfiles/",  # made by collectstatic
    "backups/",  # the operator's own folder in the backup example
    "../shared/",  # shared tooling beside the repository (the import checker, services)
)
RUNTIME_PATHS = {".env"}  # copied from .env.example, never committed
# Values written like paths: the admin import's city column.
NOT_PATHS = {"COUNTRY/city-slug", "GB/london"}
# Addresses mounted only with a setting on: the ESP's webhook (ANYMAIL_WEBHOOK_SECRET), the
# bench's trivial view (BENCH), local media (SERVE_MEDIA).
CONDITIONAL_ADDRESSES = ("/anymail/", "/_bench/", "/media/")
# Absolute paths on the machine, not the site's addresses: Chromium, nginx's run folder.
MACHINE_PATHS = ("/usr/", "/tmp/", "/etc/", "/opt/")
# Pages other work writes: the bench writes its dated results here.
PENDING_LINKS = {"docs/performance-results.md"}

EXTENSIONS = (
    ".py .md .html .txt .yml .yaml .json .toml .sh .css .js .svg .png .template .sed .cfg"
).split()
ROOT_FILES = {"Makefile", "Dockerfile"}

FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1", re.M | re.S)
SPAN = re.compile(r"`([^`]+)`")  # a code span may wrap onto the next line
LINK = re.compile(r"\]\(([^)\s]+)\)")
UPPER = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # with an underscore: QUOTE_RATE_LIMIT
ASSIGNMENT = re.compile(r"(?<![\w$-])([A-Z][A-Z0-9_]*)=(\"[^\"]*\"|\S*)")
MAKE = re.compile(r"(?<![\w-])make((?:\s+[A-Z_]+=\S+)*)\s+([a-z][\w-]*)")
MANAGE = re.compile(r"manage\.py\s+([a-z_][\w-]*)")
PATH = re.compile(r"^[\w.*<>/-]+$")
DOTTED = re.compile(r"^([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)(?:\(\))?$")


@cache
def environment_variables() -> frozenset[str]:
    """Every environment variable the repository reads."""
    names = set(LIBRARY_VARIABLES)
    # settings.py: env.<type>("NAME", ...), env_url("NAME"), _required("NAME").
    tree = ast.parse((ROOT / "smp_site" / "settings.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            reads = (isinstance(func, ast.Attribute) and _is_name(func.value, "env")) or (
                isinstance(func, ast.Name) and func.id in ("env", "env_url", "_required")
            )
            if reads and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    # Elsewhere: os.environ in Python; ${NAME}, $(NAME) and NAME= in shell, compose and make.
    python = re.compile(
        r"(?:environ(?:\.get|\.setdefault)?\(|environ\[|getenv\()\s*[\"']([A-Z]\w*)"
    )
    shell = re.compile(r"\$\{?\(?([A-Z][A-Z0-9_]*)|^\s*#?\s*([A-Z][A-Z0-9_]*)\s*[?:]?=", re.M)
    for path in _source_files():
        text = path.read_text(errors="replace")
        pattern = python if path.suffix == ".py" else shell
        for match in pattern.finditer(text):
            names.update(group for group in match.groups() if group)
    return frozenset(names)


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


SKIP_DIRS = {"var", "media", "staticfiles", "node_modules"}


def _source_files() -> list[Path]:
    files = [ROOT / name for name in ("Makefile", "Dockerfile", "docker-compose.yml")]
    files += [ROOT / ".env.example", ROOT / ".ci" / "run"]
    for top in ROOT.iterdir():
        if top.is_dir() and not top.name.startswith(".") and top.name not in SKIP_DIRS:
            files += [p for p in top.rglob("*") if p.suffix in (".py", ".sh", ".template")]
    return [f for f in files if f.is_file()]


@cache
def make_targets() -> frozenset[str]:
    text = (ROOT / "Makefile").read_text()
    return frozenset(re.findall(r"^([a-z][\w-]*)\s*:(?!=)", text, re.M))


@cache
def commands() -> frozenset[str]:
    # Ours from their files too: the tools app is installed only with DEBUG or BENCH.
    ours = {p.stem for p in ROOT.glob("*/management/commands/*.py") if p.stem != "__init__"}
    return frozenset(get_commands()) | ours


@cache
def packages() -> frozenset[str]:
    return frozenset(p.parent.name for p in ROOT.glob("*/__init__.py"))


def known_setting(name: str) -> bool:
    return hasattr(settings, name) or name in environment_variables()


def path_exists(token: str) -> bool:
    if token in RUNTIME_PATHS or token.startswith(RUNTIME_PREFIXES):
        return True
    pattern = re.sub(r"<[^>]*>", "*", token).rstrip("/")
    if "*" in pattern:
        return any(ROOT.glob(pattern))
    return (ROOT / pattern).exists()


def looks_like_path(token: str) -> bool:
    # A leading digit is a rate ("5/h"), a leading slash an address ("/clinics/").
    if token[:1].isdigit() or token.startswith("/") or token in NOT_PATHS:
        return False
    if not PATH.match(token):
        return False
    return "/" in token or token.endswith(tuple(EXTENSIONS)) or token in ROOT_FILES


def python_name_resolves(first: str, rest: list[str]) -> bool | None:
    """True or False for a name of ours; None when the name is not ours to judge."""
    if first in packages():
        parts = [first, *rest]
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            if _getattrs(obj, parts[cut:]):
                return True
            break
        # "app_label.Model", as Django names models.
        try:
            model = apps.get_model(first, rest[0])
        except (LookupError, ValueError):
            return False
        return _getattrs(model, rest[1:])
    owner = _our_class(first)
    if owner is None:
        return None
    return _getattrs(owner, rest)


def _getattrs(obj: object, names: list[str]) -> bool:
    for name in names:
        if not hasattr(obj, name):
            return False
        obj = getattr(obj, name)
    return True


@cache
def _our_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for package in sorted(packages()):
        if not apps.is_installed(package):
            continue
        for module_name in ("models", "forms", "views", "admin"):
            try:
                module = importlib.import_module(f"{package}.{module_name}")
            except ImportError:
                continue
            for name, value in vars(module).items():
                if isinstance(value, type) and value.__module__.startswith(f"{package}."):
                    found.setdefault(name, value)
    return found


def _our_class(name: str) -> type | None:
    return _our_classes().get(name)


def problems(text: str, *, page: Path = ROOT / "docs" / "page.md") -> list[str]:
    """What the page names that does not exist, one line each."""
    found: list[str] = []
    fenced = "\n".join(m.group(0) for m in FENCE.finditer(text))
    spans = [" ".join(m.group(1).split()) for m in SPAN.finditer(FENCE.sub("", text))]
    for chunk in [*spans, fenced]:
        for match in MAKE.finditer(chunk):
            if match.group(2) not in make_targets():
                found.append(f"make target `{match.group(2)}`")
        for match in MANAGE.finditer(chunk):
            if match.group(1) not in commands():
                found.append(f"manage.py command `{match.group(1)}`")
        for match in ASSIGNMENT.finditer(chunk):
            if not known_setting(match.group(1)):
                found.append(f"setting or variable `{match.group(1)}`")
        rest = ASSIGNMENT.sub(" ", chunk)
        if chunk is not fenced and re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", chunk):
            names = [chunk]
        else:
            names = UPPER.findall(rest)
        for name in names:
            if (
                name not in NOT_SETTINGS
                and not name.startswith("HTTP_")
                and not known_setting(name)
            ):
                found.append(f"setting or variable `{name}`")
    for span in spans:
        token = span.strip()
        if looks_like_path(token):
            if not path_exists(token):
                found.append(f"path `{token}`")
            continue
        if token.startswith("/") and not address_resolves(token):
            found.append(f"address `{token}`")
            continue
        dotted = DOTTED.match(token)
        if dotted:
            first, rest_names = dotted.group(1), dotted.group(2).split(".")[1:]
            if python_name_resolves(first, rest_names) is False:
                found.append(f"Python name `{token}`")
    for target in LINK.findall(FENCE.sub("", text)):
        if re.match(r"[a-z]+:", target):
            continue
        name, _, anchor = target.partition("#")
        resolved = (page.parent / name).resolve() if name else page
        relative = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else ""
        if relative in PENDING_LINKS:
            continue
        if not resolved.exists():
            found.append(f"link `{target}`")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            found.append(f"link `{target}`")
    return found


def anchors(page: Path) -> set[str]:
    """The ids GitHub gives a page's headings: lower case, punctuation dropped, spaces to -."""
    text = FENCE.sub("", page.read_text())
    return {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.M)
    }


def address_resolves(token: str) -> bool:
    """A site address in a span: Django's URLconf answers it (placeholders as "1")."""
    if token.startswith(MACHINE_PATHS + CONDITIONAL_ADDRESSES) or " " in token:
        return True
    address = re.sub(r"<[^>]*>", "1", token.split("?")[0])
    # A language's address ("/de/faq/") is answered in that language only.
    language = get_language_from_path(address) or settings.LANGUAGE_CODE
    # "/quote/reply/…" is a token's address, "/healthz/…" every address under a prefix.
    for candidate in (address.replace("…", "1/"), address.replace("…", "")):
        try:
            with override(language):
                resolve(candidate)
        except Resolver404:
            continue
        return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_it_names_only_what_exists(doc):
    assert problems(doc.read_text(), page=doc) == []


@pytest.mark.parametrize(
    "text",
    [
        "Set `NO_SUCH_SETTING_EVER` to turn it on.",
        "`QUOTE_RATE_LIMITS=5/h` holds requests.",
        "`VERBOSITY` is the log level.",
        "Run `make no-such-target` first.",
        "```sh\nDATABASE_URL=postgres://x/y make bench-quickly\n```",
        "`python manage.py no_such_command --all` loads it.",
        "Cards live in `clinics/no_such_module.py`.",
        "Emails extend `templates/<app>/no-such-folder/`.",
        "Ratings come from `ClinicQuerySet.with_rating()`.",
        "Erasure sends `quotes.signals.no_such_signal`.",
        "See [the flows](no-such-page.md).",
        "See [deployment](deployment.md#no-such-heading).",
        "The form is at `/quote/no-such-page/`.",
    ],
)
def test_it_reports_a_made_up_name(text):
    assert len(problems(text)) == 1, problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "`QUOTE_RATE_LIMIT`, `PAGE_CACHE_ENABLED` and `DEBUG`.",
        "`ADMIN_SESSION_IDLE_HOURS` sets `SESSION_COOKIE_AGE`; `WEB_CONCURRENCY` is gunicorn's.",
        "`SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https` behind a proxy.",
        "`make run PORT=8123`, `make lock LOCK_ARGS=--upgrade` and `make bench-smoke`.",
        "```sh\nREDIS_URL=redis://127.0.0.1:6379/0 make worker\n```",
        "`python manage.py load_gazetteer`, `manage.py run_schedule`, `manage.py migrate`.",
        "`common/page_cache.py`, `templates/<app>/email/`, `pages/content/*.md`, `Makefile`.",
        "`var/emails/`, `../shared/tools/import_graph.py`, `GB/london`, `/clinics/<country>/`.",
        "`ClinicQuerySet.best_rated_first()`, `quotes.signals.request_erased`, `Image.load()`.",
        "See [architecture](architecture.md) and [results](performance-results.md).",
        "[TLS](deployment.md#tls-at-the-proxy), [prod](deployment.md#on-one-machine-make-prod).",
        "`/clinics/<country>/<city>/`, `/quote/reply/…`, `/reviews/write/?key=…`, `/healthz/`.",
    ],
)
def test_it_accepts_what_exists(text):
    assert problems(text) == []


def test_the_readme_stays_short_and_links_every_page():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 200
    for page in DOCS[1:]:
        if f"docs/{page.name}" in PENDING_LINKS:
            continue
        assert f"docs/{page.name}" in readme, f"README does not link docs/{page.name}"
