"""Prices as people read them, the same on every page and in every email (Babel, CLDR).

Amounts are whole units (the site stores prices without pennies), written in the active
language's conventions: "£1,500", "€950", "US$2,400", "CHF 1,200" in English; "1.400 €"
in German, "1400 €" in Spanish, "1 400 €" in French. A range names the currency once
where the language writes it after the number ("1.400–1.900 €"), and on both amounts
where it comes first ("£1,200–£1,800").
"""

import copy
import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal
from django.utils.translation import get_language, pgettext, to_locale

# CLDR's currency spacing, which Babel leaves out: a symbol made of letters ("CHF") is
# kept apart from the digits by a no-break space; "£" and "US$" are not.
_LETTER_THEN_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")
DASH = "–"


@lru_cache(maxsize=32)
def _whole_units(language: str) -> tuple[Locale, NumberPattern]:
    locale = Locale.parse(to_locale(language))
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return locale, pattern


def format_money(amount: int | Decimal | None, currency: str) -> str:
    """One amount: "£1,500". Empty for no amount."""
    if amount is None:
        return ""
    return _formatted(amount, currency, get_language() or "en-gb")


# Remembered: Babel takes about 0.1 ms an amount, and a city page of cards shows forty
# (prices repeat across clinics, so a few thousand entries cover a directory).
@lru_cache(maxsize=4096)
def _formatted(amount: int | Decimal, currency: str, language: str) -> str:
    locale, pattern = _whole_units(language)
    text = format_currency(amount, currency, locale=locale, format=pattern, currency_digits=False)
    return _LETTER_THEN_DIGIT.sub("\u00a0", text)


@lru_cache(maxsize=4096)
def _range(low: int | Decimal, high: int | Decimal, currency: str, language: str) -> str:
    locale, pattern = _whole_units(language)
    if "¤" in pattern.suffix[0]:  # "1.400 €": the first amount without its currency
        first = format_decimal(low, locale=locale, decimal_quantization=False)
        return f"{first}{DASH}{_formatted(high, currency, language)}"
    return f"{_formatted(low, currency, language)}{DASH}{_formatted(high, currency, language)}"


def format_price_range(
    low: int | None, high: int | None, currency: str, *, fixed: bool = False
) -> str:
    """A price or a range: "£1,500", "£1,200–£1,800", "from £900"; ", fixed" when it is."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        text = format_money(low if low is not None else high, currency)
        if low is not None and high is None:
            text = pgettext("price", "from %(price)s") % {"price": text}
    else:
        text = _range(low, high, currency, get_language() or "en-gb")
    if fixed:
        return pgettext("price", "%(price)s, fixed") % {"price": text}
    return text
