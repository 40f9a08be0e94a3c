"""The Jinja2 environment (settings.TEMPLATES), for what renders many values a page.

Django runs both engines side by side: templates under templates/jinja2/ and an app's
`jinja2/` folder are Jinja2's, every other one Django's. A clinic card (twenty to a list
page) renders about twice as fast here, a sitemap page of 1,000 addresses several times
faster than through Django's own `sitemap.xml`. Django templates include one of these
with `{% jinja "training/class_card.html" training_class=… %}` (common/templatetags/site.py).
"""

import datetime as dt
from typing import Any

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment

from common.templatetags.site import iso_datetime, locator


def day(value: dt.date | dt.datetime) -> str:
    """As Django's `|date:"Y-m-d"`: an aware datetime on its day in the site's time zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def date(value: dt.date | dt.datetime, format_string: str) -> str:
    """As Django's `|date:"j F Y"`: an aware datetime on the site's clock first."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, format_string)


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.globals.update(static=static, url=reverse, locator=locator)
    env.filters.update(
        day=day, date=date, iso_datetime=iso_datetime, pluralize=defaultfilters.pluralize
    )
    return env
