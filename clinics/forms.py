from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import PUBLIC_FORM_RENDERER

from .geo import UNITS
from .models import City
from .search import understand

MAX_QUERY_LENGTH = 100
UNIT_CHOICES = [
    ("", gettext_lazy("Default")),
    *((code, unit.label) for code, unit in UNITS.items()),
]


def _units_field() -> forms.ChoiceField:
    # Distances in km or miles: an unknown value is dropped, not an error to show.
    return forms.ChoiceField(choices=UNIT_CHOICES, required=False)


class SearchForm(forms.Form):
    default_renderer = PUBLIC_FORM_RENDERER

    q = forms.CharField(
        label=gettext_lazy("City or clinic name"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": gettext_lazy(
                "Please search with at most %(limit_value)d characters, "
                "for example a city or a clinic name."
            )
        },
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": gettext_lazy("e.g. London or München"),
                "autocomplete": "off",
            }
        ),
    )
    units = _units_field()

    def clean_units(self) -> str:
        return self.cleaned_data.get("units") or ""

    def full_clean(self):
        super().full_clean()
        if "units" in self.errors:  # a bad unit is ignored: the default serves
            del self.errors["units"]
            self.cleaned_data["units"] = ""


def grouped_city_choices(cities, empty_label: str) -> list:
    """Choices for a <select> of cities, grouped by country, countries and cities by name."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for city in sorted(cities, key=lambda c: (c.country_name, c.local_name)):
        grouped.setdefault(city.country_name, []).append((city.pk, city.local_name))
    return [("", empty_label), *grouped.items()]


class NearMeForm(forms.Form):
    default_renderer = PUBLIC_FORM_RENDERER

    """Where to start: the browser's position (lat/lng), or a town typed in without JavaScript.

    `city` (an id) serves links from a city page with no clinic of its own.
    """

    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    place = forms.CharField(
        label=gettext_lazy("Or type your town or city"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("e.g. Leeds"), "autocomplete": "address-level2"}
        ),
    )
    city = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    units = _units_field()

    def clean(self):
        data = super().clean()
        self.errors.pop("units", None)  # a bad unit is ignored: the default serves
        data["units"] = data.get("units") or ""
        if self.errors.get("lat") or self.errors.get("lng") or self.errors.get("city"):
            # Hidden fields: say what went wrong where the visitor can see it.
            raise forms.ValidationError(
                _("We could not read that location. Please try again or type your town.")
            )
        if data.get("lat") is not None and data.get("lng") is not None:
            return data
        if data.get("city"):
            city = City.objects.filter(pk=data["city"]).first()
            if city is not None:
                data["origin"] = (city.latitude, city.longitude, str(city), str(city.country))
        elif data.get("place"):
            understood = understand(data["place"])
            data["origin"] = understood.origin
            data["suggestions"] = understood.suggestions
        else:
            raise forms.ValidationError(_("Share your location, or type the town nearest to you."))
        if data.get("origin") is None:
            typed = data.get("place") or data.get("city")
            if data.get("suggestions"):
                # Translators: between the places offered in "Did you mean A or B?".
                offered = _(" or ").join(data["suggestions"][:3])
                message = _(
                    "We don't know “%(typed)s”. Did you mean %(offered)s? We know towns of "
                    "5,000 people or more and many city districts: try the nearest town, or "
                    "share your location."
                ) % {"typed": typed, "offered": offered}
            else:
                message = _(
                    "We don't know “%(typed)s”. We know towns of 5,000 people or more and many "
                    "city districts: try the nearest town, or share your location."
                ) % {"typed": typed}
            raise forms.ValidationError(message)
        return data

    def origin(self) -> tuple[float, float, str, str]:
        """The latitude, longitude, a label and the country of where the search starts: no
        label for the browser's position (the page says "near your location")."""
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lng") is not None:
            return data["lat"], data["lng"], "", ""
        return data["origin"]
