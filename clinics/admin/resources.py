from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from django.utils import timezone
from import_export import fields, widgets

from common.exports import SpreadsheetSafeResource

from ..models import (
    FIRST_YEAR,
    City,
    Clinic,
    Language,
    Service,
)


class CityWidget(widgets.ForeignKeyWidget):
    """A city written as COUNTRY/slug ("GB/london"): city slugs are unique only per country."""

    def __init__(self):
        super().__init__(City)

    def clean(self, value, row=None, **kwargs):
        country, _, slug = str(value or "").strip().partition("/")
        try:
            return City.objects.get(country=country.upper(), slug=slug)
        except City.DoesNotExist:
            raise ValueError(
                f"Unknown city {value!r}: write it as COUNTRY/city-slug, for example GB/london."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.country.code}/{value.slug}" if value else ""


# The clinic's fields as staff edit them and as the CSV import and export carry them.
CONTACT_FIELDS = [
    "address",
    "postcode",
    "latitude",
    "longitude",
    "phone",
    "website",
    "instagram",
    "facebook",
    "quote_email",
]


PROFILE_FIELDS = [
    "summary",
    "description",
    "services",
    "price_from",
    "price_to",
    "currency",
    "established_year",
    "languages",
    "consults_in_person",
    "consults_online",
    "opening_hours",
]


class YesNoWidget(widgets.BooleanWidget):
    """yes/no, true/false or 1/0; empty means yes (the column's default)."""

    YES = {"1", "true", "yes", "y"}
    NO = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES or text == "":
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{value}” isn’t yes or no: write yes, no, true, false, 1 or 0.")


class CurrencyWidget(widgets.CharWidget):
    """An ISO 4217 code, as Babel's (CLDR's) list knows it."""

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        if code not in list_currencies():
            raise ValueError(
                f"“{value}” isn’t a currency code: write three letters such as GBP, EUR or USD."
            )
        return code


class NumberWidget(widgets.IntegerWidget):
    """A whole number, optionally within a range (years, prices)."""

    def __init__(self, *, low: int | None = None, high=None, what: str = "a whole number"):
        super().__init__()
        self.low, self.high, self.what = low, high, what

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = int(Decimal(str(value).strip().replace(",", "")))
        except (InvalidOperation, ValueError):
            raise ValueError(f"“{value}” isn’t {self.what}.") from None
        high = self.high() if callable(self.high) else self.high
        if (self.low is not None and number < self.low) or (high is not None and number > high):
            raise ValueError(f"“{value}” isn’t {self.what} between {self.low} and {high}.")
        return number


class CoordinateWidget(widgets.FloatWidget):
    def __init__(self, limit: float):
        super().__init__()
        self.limit = limit

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(f"“{value}” isn’t a number of degrees.") from None
        if not -self.limit <= number <= self.limit:
            raise ValueError(f"“{value}” isn’t between -{self.limit:g} and {self.limit:g}.")
        return number


class ServicesWidget(widgets.ManyToManyWidget):
    """Service slugs separated by |; an unknown one is an error, never silently dropped."""

    def __init__(self):
        super().__init__(Service, separator="|", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split("|") if s.strip()]
        found = {service.slug: service for service in Service.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            known = ", ".join(Service.objects.values_list("slug", flat=True))
            raise ValueError(f"Unknown service “{'”, “'.join(unknown)}”: use {known}.")
        return Service.objects.filter(slug__in=slugs)


class ClinicResource(SpreadsheetSafeResource):
    city = fields.Field(attribute="city", column_name="city", widget=CityWidget())
    services = fields.Field(attribute="services", column_name="services", widget=ServicesWidget())
    currency = fields.Field(attribute="currency", column_name="currency", widget=CurrencyWidget())
    accepts_quotes = fields.Field(
        attribute="accepts_quotes", column_name="accepts_quotes", widget=YesNoWidget()
    )
    established_year = fields.Field(
        attribute="established_year",
        column_name="established_year",
        widget=NumberWidget(low=FIRST_YEAR, high=lambda: timezone.now().year, what="a year"),
    )
    price_from = fields.Field(
        attribute="price_from", column_name="price_from", widget=NumberWidget(low=0, what="a price")
    )
    price_to = fields.Field(
        attribute="price_to", column_name="price_to", widget=NumberWidget(low=0, what="a price")
    )
    latitude = fields.Field(
        attribute="latitude", column_name="latitude", widget=CoordinateWidget(90)
    )
    longitude = fields.Field(
        attribute="longitude", column_name="longitude", widget=CoordinateWidget(180)
    )
    # Language codes separated by "|", e.g. "en|es" (ISO 639-1, as in admin).
    languages = fields.Field(
        attribute="languages",
        column_name="languages",
        widget=widgets.ManyToManyWidget(Language, separator="|", field="code"),
    )

    class Meta:
        model = Clinic
        import_id_fields = ["city", "slug"]
        fields = [
            "name",
            "slug",
            "city",
            "status",
            *CONTACT_FIELDS,
            *PROFILE_FIELDS,
            "accepts_quotes",
        ]
        skip_unchanged = True
        report_skipped = True
        # Run model validation so the dry-run preview shows each bad row's problem.
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        now = timezone.now()
        if instance.status == Clinic.Status.APPROVED and instance.approved_at is None:
            instance.approved_at = now
        instance.reviewed_at = now
