"""Dates written out as the visitor's language writes them (Django's formats, Babel's CLDR).

English keeps the site's own forms ("14–16 March 2027", "Saturday 14 March 2027, 09:30");
German, Spanish and French take CLDR's ("14.–16. März 2027", "14–16 de marzo de 2027",
"samedi 14 mars 2027, 09:30"), which put day, month and year where each language does.
"""

import datetime as dt

from babel.dates import format_date, format_interval
from django.utils import dateformat, formats
from django.utils.translation import get_language, to_locale


def _babel_locale() -> str | None:
    """The active language as Babel names it, or None for English (the site's own forms)."""
    language = get_language() or "en-gb"
    if language.startswith("en"):
        return None
    return to_locale(language)


def long_date(day: dt.date) -> str:
    """ "14 March 2027", "14. März 2027", "14 de marzo de 2027"."""
    return formats.date_format(day, "DATE_FORMAT")


def date_range(start: dt.date, end: dt.date) -> str:
    """ "14 March 2027", "14–16 March 2027", "30 April – 2 May 2027"; CLDR's outside English."""
    if start == end:
        return long_date(start)
    locale = _babel_locale()
    if locale is not None:
        return format_interval(start, end, "yMMMMd", locale=locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{dateformat.format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{dateformat.format(start, 'j F')} – {dateformat.format(end, 'j F Y')}"
    return f"{dateformat.format(start, 'j F Y')} – {dateformat.format(end, 'j F Y')}"


def day_and_time(moment: dt.datetime) -> str:
    """ "Saturday 14 March 2027, 09:30", "Samstag, 14. März 2027, 09:30"."""
    locale = _babel_locale()
    if locale is None:
        return dateformat.format(moment, "l j F Y, H:i")
    return f"{format_date(moment.date(), 'full', locale=locale)}, {moment:%H:%M}"
