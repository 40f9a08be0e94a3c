from urllib.parse import urlencode

from django import forms

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
    """Where to start: the browser's position (lat/lng), or a town typed in without JavaScript.

    `city` (an id) serves links from a city page with no clinic of its own.
    """

    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    place = forms.CharField(
        label="Or type your town or city",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. Leeds", "autocomplete": "address-level2"}
        ),
    )
    city = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if self.errors.get("lat") or self.errors.get("lng") or self.errors.get("city"):
            # Hidden fields: say what went wrong where the visitor can see it.
            raise forms.ValidationError(
                "We could not read that location. Please try again or type your town."
            )
        if data.get("lat") is not None and data.get("lng") is not None:
            return data
        if data.get("city"):
            data["origin_city"] = City.objects.filter(pk=data["city"]).first()
        elif data.get("place"):
            data["origin_city"] = self._best_city(data["place"])
        else:
            raise forms.ValidationError("Share your location, or type the town nearest to you.")
        if data["origin_city"] is None:
            raise forms.ValidationError(
                f"We don't know “{data.get('place') or data.get('city')}” yet. "
                "Please try a larger town nearby, or share your location."
            )
        return data

    @staticmethod
    def _best_city(place: str) -> City | None:
        """The city whose name matches best: exact, then starting with, then containing."""
        folded = fold(place)
        if not folded:
            return None
        candidates = (
            City.objects.with_clinic_counts()
            .filter(search_name__contains=folded)
            .order_by("-clinic_count", "name")[:50]
        )
        return min(
            candidates,
            key=lambda c: (c.search_name != folded, not c.search_name.startswith(folded)),
            default=None,
        )

    def origin(self) -> tuple[float, float, str]:
        """The latitude, longitude and a label for where the search starts."""
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lng") is not None:
            return data["lat"], data["lng"], "your location"
        city = data["origin_city"]
        return city.latitude, city.longitude, f"{city.name}, {city.country_name}"


class RatingFilterForm(forms.Form):
    """A city page's order and minimum rating (the stored averages of published reviews)."""

    SORTS = [("name", "Name"), ("rating", "Best rated first")]
    MINIMUMS = [("", "Any rating"), ("4.5", "4.5 stars or more"), ("4", "4 stars or more")]

    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)
    rating = forms.ChoiceField(label="Rating", choices=MINIMUMS, required=False)

    def apply(self, clinics):
        """The clinics filtered and ordered as asked (by name when the form is not valid)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("rating"):
            clinics = clinics.rated_at_least(float(data["rating"]))
        if data.get("sort") == "rating":
            return clinics.best_rated_first()
        return clinics.order_by("name")

    def query_string(self) -> str:
        """The choices to carry over to the next page of results."""
        data = self.cleaned_data if self.is_valid() else {}
        return urlencode({k: v for k, v in data.items() if v and not (k == "sort" and v == "name")})
