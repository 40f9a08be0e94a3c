"""The static files storage: whitenoise's compressed manifest storage, each file's
address worked out once per process.

`{% static %}` asks the storage for a file's hashed address: a manifest look-up, then URL
splitting and joining, about 25 µs. Every page's layout asks for eight such addresses, a
home page about fifteen: together as long as half the trivial view. The manifest is read
when the process starts and never changes while it runs (a deploy starts new processes),
so neither do the addresses: like Django's own reverse tables, nothing here depends on
content an edit could change.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # name -> address; only names templates and code ask for, a few dozen.
        self._addresses: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or settings.DEBUG or name is None:  # DEBUG serves the unhashed files
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            # A file missing from the manifest raises here, every time: nothing is kept.
            address = self._addresses[name] = super().url(name)
            return address
