"""The Jinja2 environment (settings.TEMPLATES), for what renders many values a page.

Django runs both engines side by side: templates under templates/jinja2/ and an app's
`jinja2/` folder are Jinja2's, every other one Django's. A clinic card (twenty to a list
page) renders about twice as fast here, a sitemap page of 1,000 addresses several times
faster than through Django's own `sitemap.xml`. Django templates include one of these
with `{% jinja "training/class_card.html" training_class=… %}` (common/templatetags/site.py).

The filters and functions are Django's own, under the names Django templates use:
`|date`, `|linebreaks`, `|floatformat`, `|pluralize`, `|money`, `|json_ld`; `url()`
(`{% url %}`), `link()` (`{% link %}`), `static()`, `per_visitor()` (`{% per_visitor %}`,
given the request). Translations are Django's gettext through Jinja2's i18n extension:
`{{ _("Filters") }}`, `{% trans count=n %}…{% pluralize %}…{% endtrans %}`.
"""

import datetime as dt
from typing import Any

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import FORMAT_SETTINGS
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from common.page_cache import per_visitor_value
from common.templatetags.site import iso_datetime, json_ld, locator, money
from pages.templatetags.layout import address


def day(value: dt.date | dt.datetime) -> str:
    """As Django's `|date:"Y-m-d"`: an aware datetime on its day in the site's time zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def date(value: dt.date | dt.datetime, format_string: str) -> str:
    """As Django's `|date:"j F Y"`: an aware datetime on the site's clock first."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if format_string == "c" and value:
        # ISO 8601, which is what Django's "c" writes (`isoformat()`): asked for once per
        # section of the sitemap index, 165 of them at 10,000 clinics.
        return value.isoformat()
    if format_string in FORMAT_SETTINGS or not value:
        return defaultfilters.date(value, format_string)  # "DATE_FORMAT": the locale's
    # A format written out ("j F Y") is what Django's filter formats, after looking for a
    # setting of that name in each of the language's format modules.
    return dateformat.format(value, format_string)


def linebreaks(value: str) -> SafeString:
    """As Django's `|linebreaks` in an autoescaped template: escaped, then paragraphs."""
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def environment(**options: Any) -> Environment:
    env = Environment(**options, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(
        static=static, url=reverse, link=address, locator=locator, per_visitor=per_visitor_value
    )
    env.filters.update(
        day=day,
        date=date,
        iso_datetime=iso_datetime,
        pluralize=defaultfilters.pluralize,
        linebreaks=linebreaks,
        floatformat=defaultfilters.floatformat,
        money=money,
        json_ld=json_ld,
    )
    return env
