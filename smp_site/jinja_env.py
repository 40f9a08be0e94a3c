"""The Jinja2 environment of the templates under templates/jinja2/ (settings.TEMPLATES).

Only fragments rendered many times a page live there (a clinic card, twenty to a list):
Jinja2 compiles a template to Python and renders them about twice as fast as Django's
engine. Everything else stays with Django's templates, which include their output.
"""

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.globals.update(static=static, url=reverse)
    return env
