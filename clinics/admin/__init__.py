"""The directory's admin, one module per screen family; Django's autodiscover imports
this package, and each module registers its own.

- cities.py: cities, services and languages
- clinics.py: clinics, with their artists, gallery photos, credentials and closures inline
- photos.py: gallery photos waiting for consent or checked as possible copies
- resources.py: the spreadsheet import and export of clinics (django-import-export)
- helpers.py: filters and display helpers the screens share
"""

from . import cities, clinics, photos  # noqa: F401  (each registers its ModelAdmins)
