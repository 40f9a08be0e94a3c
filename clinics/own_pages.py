"""A clinic's profile and its city's page as their own pages in the page cache
(common/page_cache.py, `OwnedPages`).

A profile shows its clinic's row and rows of the clinic's own (artists, gallery photos,
closures, its services and languages as chosen on it) and whether the city's other
clinics take requests, besides what every page shows (its city, the services' names,
reviews, credentials, training: their writes make every page stale). A city's page shows
its row and the cards of its own clinics, nothing of another city's. A transaction that
wrote only a clinic's own rows makes stale its city's page and profiles and every page
that is neither (the country's counts, search, the sitemaps), and leaves the other
cities' pages and profiles cached: with clinics editing their own listings, one save no
longer re-renders thousands of pages.

A write that a profile's own version cannot cover alone makes every page stale: a clinic
deleted or given a new address (the old address must stop answering), a row that belongs
to no clinic.
"""

from django.db.models.signals import m2m_changed, post_save

from common.page_cache import OwnedPages

from .models import Artist, Clinic, ClinicClosure, ClinicPhoto
from .text import country_slug

# Rows of one clinic's own: the clinics they belong to, and belonged to before the save
# (`note_stored_clinic`, connected in clinics/apps.py), are the profiles they change.
OWN_ROWS = (Artist, ClinicPhoto, ClinicClosure)


def note_stored_clinic(sender, instance, **kwargs):
    """The clinic a row belonged to before this save (pre_save): moved, both clinics
    change. `clinics_changed` reads it back."""
    if instance.pk is not None:
        instance._stored_clinic_id = (
            sender.objects.filter(pk=instance.pk).values_list("clinic_id", flat=True).first()
        )


def clinics_changed(instance) -> set[int]:
    """The clinics a saved or deleted row belongs to, and belonged to before the save."""
    return {instance.clinic_id, getattr(instance, "_stored_clinic_id", None)} - {None}


def page_owner(kwargs: dict) -> str:
    """A city or a clinic, as its page's address names it (clinics/urls.py: the same in
    every language): "united-kingdom/leeds" is a city, "united-kingdom/leeds/aire-studio"
    one of its clinics."""
    return "/".join(kwargs[name] for name in ("country", "city", "clinic") if name in kwargs)


def owners_of_page(kwargs: dict) -> tuple[str, ...]:
    """A city's page is its city's; a profile is its clinic's and its city's too: the quote
    form offers the city's other artists when they take requests."""
    city = page_owner({"country": kwargs["country"], "city": kwargs["city"]})
    return (city, page_owner(kwargs)) if "clinic" in kwargs else (city,)


def note_address(sender, instance: Clinic, **kwargs) -> None:
    """Whether this save gives the clinic another address than the one it was loaded with
    (pre_save: `Clinic.from_db` noted slug and city; a clinic not loaded so may have)."""
    instance._address_moved = instance.pk is not None and (
        getattr(instance, "_loaded_slug", None) != instance.slug
        or getattr(instance, "_loaded_city_id", None) != instance.city_id
    )


def clinics_written(model: type, instance, signal_kwargs: dict) -> set[int] | None:
    """The clinics whose own rows this write changed, or None when it changed more."""
    signal = signal_kwargs.get("signal")
    if model is Clinic:
        if signal is m2m_changed:
            return {instance.pk}  # its services or languages, chosen on its own row
        if signal is post_save and not getattr(instance, "_address_moved", True):
            return {instance.pk}
        return None
    if model in OWN_ROWS:
        return clinics_changed(instance) or None
    return None


def page_owners(clinic_ids: set[int]) -> set[str]:
    """The clinics' profiles and their cities' pages (a clinic moved to another city has a
    new address: `clinics_written` makes every page stale)."""
    rows = Clinic.objects.filter(pk__in=clinic_ids, city__isnull=False).values_list(
        "city__country", "city__slug", "slug"
    )
    owners = set()
    for code, city, slug in rows:
        owners.add(page_owner({"country": country_slug(code), "city": city}))
        owners.add(page_owner({"country": country_slug(code), "city": city, "clinic": slug}))
    return owners


OWN_PAGES = OwnedPages(owners=owners_of_page, writes=clinics_written, page_owners=page_owners)
