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
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

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


def _formatted(context: Context, text: str, variables: dict[str, Any]) -> str:
    """A translation as Jinja2's "newstyle" gettext gives it: always a format string ("%%"
    is "%"), the variables escaped in an autoescaped template. Jinja2's own wrappers make
    two context calls and a `Markup % {}` for every string: about 12 µs a string, 8 of
    them its own, where most strings have neither a variable nor a "%" to format."""
    if context.eval_ctx.autoescape:
        text = Markup(text)
    if variables or "%" in text:
        return text % variables
    return text


@pass_context
def _gettext(context: Context, message: str, /, **variables: Any) -> str:
    return _formatted(context, gettext(message), variables)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int, /, **variables: Any) -> str:
    variables.setdefault("num", n)
    return _formatted(context, ngettext(singular, plural, n), variables)


@pass_context
def _pgettext(context: Context, message_context: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", message_context)
    return _formatted(context, pgettext(message_context, message), variables)


@pass_context
def _npgettext(
    context: Context, message_context: str, singular: str, plural: str, n: int, /, **variables: Any
) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", n)
    return _formatted(context, npgettext(message_context, singular, plural, n), variables)


def environment(**options: Any) -> Environment:
    env = Environment(**options, extensions=["jinja2.ext.i18n"])
    # Newstyle gettext (templates write `_("%(n)s away", n=…)`, compiled for it), then the
    # callables replaced by the leaner ones above, with the same output.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
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
