"""`makemessages` that also reads the Jinja2 templates (`make messages`).

`make messages` runs it twice: for the `django` domain (below) and for `djangojs`, the
strings of the site's scripts (static/js/, `gettext()` and `ngettext()` there), which the
page's language catalogue serves them (smp_site/urls.py: javascript-catalog).

Django's own command reads Python and Django templates through xgettext; it cannot read
Jinja2's `{{ _("…", name=…) }}` and `{% trans %}` (templates/jinja2/). Those are
extracted by Jinja2's own Babel extractor and joined (gettext's msgcat) to the same
`django.pot` before Django merges it into each language's `django.po`, so one catalogue
per language holds every interface string and a translator never sees two files. What the
project never translates (the virtualenv, var/, media/) is left out, and the Jinja2 folder
is left to Babel.
"""

import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import makemessages

JINJA2_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "jinja2"
# Folders Django's pass skips: not ours (.venv is skipped as a dot-folder), or read by
# the Jinja2 pass instead.
# staticfiles/ holds collectstatic's copies of static/js/, which would be read twice.
IGNORED = [
    "var/*",
    "media/*",
    "node_modules/*",
    "staticfiles/*",
    "templates/jinja2/*",
    "locale/*",
]
# Jinja2's i18n extension, as smp_site/jinja_env.py installs it.
JINJA2_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}


class Command(makemessages.Command):
    help = (
        "Django's makemessages, which also extracts the Jinja2 templates' strings into the "
        "same catalogues."
    )

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        return super().handle(*args, **options)

    def find_files(self, root):
        # One catalogue for the whole project, LOCALE_PATHS' first: never the `locale/`
        # folder of wherever the command runs (Django adds one), so a test can write a
        # catalogue of its own elsewhere.
        files = super().find_files(root)
        for file in files:
            file.locale_dir = self.default_locale_path
        return files

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        if self.domain == "django":
            for potfile in potfiles:
                add_jinja2_messages(Path(potfile))
        return potfiles


def add_jinja2_messages(potfile: Path) -> int:
    """Add every message of the Jinja2 templates to `potfile` (xgettext's, which Django
    merges into each language next); returns how many were found. Babel writes them to a
    template of their own, and gettext's msgcat joins the two: one entry per message,
    with every place it is used."""
    catalog = Catalog(fuzzy=False)
    base = Path(settings.BASE_DIR)
    found = 0
    for filename, line, message, comments, _context in extract_from_dir(
        JINJA2_TEMPLATES,
        method_map=[("**.html", "jinja2"), ("**.txt", "jinja2")],
        options_map={"**": JINJA2_OPTIONS},
    ):
        location = (str((JINJA2_TEMPLATES / filename).relative_to(base)), line)
        catalog.add(message, locations=[location], auto_comments=comments)
        found += 1
    jinja2_pot = potfile.with_name("jinja2.pot")
    try:
        with jinja2_pot.open("wb") as target:
            write_po(target, catalog)
        done = subprocess.run(
            [
                "msgcat",
                "--use-first",
                "--no-wrap",
                "-o",
                str(potfile),
                str(potfile),
                str(jinja2_pot),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise CommandError(f"msgcat could not join the Jinja2 messages: {done.stderr}")
    finally:
        jinja2_pot.unlink(missing_ok=True)
    return found
