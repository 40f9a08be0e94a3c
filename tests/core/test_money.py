"""Prices read the same way everywhere: Babel's conventions for the active language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from common.money import format_money, format_price_range


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (1500, "GBP", "£1,500"),
        (250, "GBP", "£250"),
        (12000, "EUR", "€12,000"),
        (2400, "USD", "US$2,400"),
        (1800, "CAD", "CA$1,800"),
        (1200, "CHF", "CHF\u00a01,200"),
        (0, "GBP", "£0"),
        (None, "GBP", ""),
    ],
)
def test_an_amount_has_its_symbol_and_thousands_separator(amount, currency, text):
    with translation.override("en-gb"):
        assert format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("low", "high", "fixed", "text"),
    [
        (1500, 1500, True, "£1,500, fixed"),
        (1500, 1500, False, "£1,500"),
        (1200, 1800, False, "£1,200–£1,800"),
        (900, None, False, "from £900"),
        (None, None, False, ""),
    ],
)
def test_a_range_is_said_once_when_both_ends_agree(low, high, fixed, text):
    with translation.override("en-gb"):
        assert format_price_range(low, high, "GBP", fixed=fixed) == text


def test_templates_use_the_same_words():
    html = Template("{% load site %}{{ amount|money:'GBP' }}").render(Context({"amount": 2500}))
    assert html == "£2,500"


@pytest.mark.parametrize(
    ("language", "low", "high", "fixed", "text"),
    [
        ("de", 1400, 1900, False, "1.400–1.900\u00a0€"),
        ("de", 900, None, False, "ab 900\u00a0€"),
        ("de", 1500, 1500, True, "1.500\u00a0€, Festpreis"),
        ("es", 1400, 1900, False, "1.400–1.900\u00a0€"),
        ("es", 900, None, False, "desde 900\u00a0€"),
        ("fr", 1400, 1900, False, "1\u202f400–1\u202f900\u00a0€"),
        ("fr", 900, None, False, "à partir de 900\u00a0€"),
    ],
)
def test_a_price_in_euros_is_written_as_each_language_writes_it(language, low, high, fixed, text):
    # The currency once, after the range, where the language writes it after the amount.
    with translation.override(language):
        assert format_price_range(low, high, "EUR", fixed=fixed) == text
