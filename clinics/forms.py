from django import forms
from django_countries import countries

from .models import City
from .text import fold

MAX_QUERY_LENGTH = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label="City or clinic name",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": "Please search with at most %(limit_value)d characters, "
            "for example a city or a clinic name."
        },
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. London or München", "autocomplete": "off"}
        ),
    )

    def folded_query(self) -> str:
        return fold(self.cleaned_data["q"])


def grouped_city_choices(cities, empty_label: str) -> list:
    """Choices for a <select> of cities, grouped by country, countries and cities by name."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for city in sorted(cities, key=lambda c: (c.country_name, c.name)):
        grouped.setdefault(city.country_name, []).append((city.pk, city.name))
    return [("", empty_label), *grouped.items()]


class NearMeForm(forms.Form):
    """A position from the browser (lat/lng) or, without JavaScript, a chosen city."""

    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    city = forms.TypedChoiceField(label="Or choose a city", coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = City.objects.with_listed_clinics()
        self._cities = {city.pk: city for city in cities}
        self.fields["city"].choices = grouped_city_choices(self._cities.values(), "Choose a city…")

    def clean(self):
        data = super().clean()
        has_position = data.get("lat") is not None and data.get("lng") is not None
        if not has_position and not data.get("city") and not self.errors:
            raise forms.ValidationError("Share your location, or choose the city nearest to you.")
        if self.errors.get("lat") or self.errors.get("lng"):
            # Hidden fields: say what went wrong where the visitor can see it.
            raise forms.ValidationError(
                "We could not read that location. Please try again or choose a city."
            )
        return data

    def origin(self) -> tuple[float, float, str]:
        """The latitude, longitude and a label for where the search starts."""
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lng") is not None:
            return data["lat"], data["lng"], "your location"
        city = self._cities[data["city"]]
        return city.latitude, city.longitude, f"{city.name}, {countries.name(city.country)}"
