"""`manage.py compilemessages`: the catalogues under locale/ compiled by Babel.

Django's own command runs GNU gettext's `msgfmt`, a system package that neither the
Docker image nor a developer's machine needs otherwise; Babel (already installed, for
prices) writes the same `.mo` files. Fuzzy entries are left out, as msgfmt leaves them:
a visitor sees English rather than a guess. Run at install (`make run`, `make prod`,
`make test` and the Dockerfile); the compiled files are not kept in git.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogues(locale_paths=None) -> list[Path]:
    """Every `.po` under the locale folders compiled beside it when it is newer; the
    `.mo` files written."""
    written = []
    for folder in locale_paths or settings.LOCALE_PATHS:
        for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalogue = read_po(po_file, locale=po_path.parent.parent.name)
            # Written aside, then moved: a process reading the catalogue never sees half.
            partial = mo_path.with_suffix(".mo.partial")
            with partial.open("wb") as mo_file:
                write_mo(mo_file, catalogue, use_fuzzy=False)
            partial.replace(mo_path)
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the interface's translation catalogues (locale/*/LC_MESSAGES/*.po)."

    def handle(self, *args, **options):
        written = compile_catalogues()
        if options["verbosity"] < 1:
            return
        for path in written:
            self.stdout.write(f"compiled {path.relative_to(settings.BASE_DIR)}")
        if not written:
            self.stdout.write("catalogues up to date")
