"""Country names and the treatment's words in the four languages the site serves."""

import pytest

from places.names import without_noise
from places.regions import qualifier_readings, region_named, region_starting


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Spain", ("ES", None)),
        ("Spanien", ("ES", None)),
        ("España", ("ES", None)),
        ("espana", ("ES", None)),
        ("Espagne", ("ES", None)),
        ("Deutschland", ("DE", None)),
        ("Allemagne", ("DE", None)),
        ("Alemania", ("DE", None)),
        ("UK", ("GB", None)),
        ("Royaume-Uni", ("GB", None)),
        ("Vereinigtes Königreich", ("GB", None)),
        ("USA", ("US", None)),
        ("EE. UU.", ("US", None)),
        ("États-Unis", ("US", None)),
        ("Schottland", ("GB", "SCT")),
        ("Pays de Galles", ("GB", "WLS")),
    ],
)
def test_a_country_is_named_in_english_german_spanish_or_french(text, region):
    assert region_named(text) == region


@pytest.mark.parametrize("text", ["ES", "DE", "la", "London", "Zaragoza", ""])
def test_codes_and_towns_name_no_country(text):
    # Two letters alone are more often a town's start or an alias ("la") than a country.
    assert region_named(text) is None


def test_a_qualifier_may_be_a_country_in_any_of_the_four_languages():
    assert ("ES", None) in qualifier_readings("España")
    assert ("DE", None) in qualifier_readings("Allemagne")
    assert ("GB", None) in qualifier_readings("UK")


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("haarpigmentierung berlin", "berlin"),
        ("kopfhautpigmentierung in der nahe von munchen", "munchen"),
        ("micropigmentacion capilar en madrid", "madrid"),
        ("clinica de micropigmentacion capilar malaga", "malaga"),
        ("tatuaje capilar madrid", "madrid"),
        ("tatouage capillaire a lyon", "lyon"),
        ("micropigmentation capillaire pres de paris", "paris"),
        # Little words inside a name belong to it.
        ("micropigmentacion capilar jerez de la frontera", "jerez de la frontera"),
        ("smp clinic near leeds", "leeds"),
    ],
)
def test_the_treatments_words_are_dropped_in_four_languages(text, left):
    assert without_noise(text) == left


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Deutschl", ("DE", None)),
        ("Spai", ("ES", None)),
        ("Espa", ("ES", None)),
        ("Frank", None),  # Frankfurt may follow
        ("Germ", None),  # Germering may follow
        ("Mal", None),  # too short to be anything's most
        ("Spa", None),
    ],
)
def test_most_of_a_countrys_name_is_read_as_it(text, region):
    assert region_starting(text) == region
