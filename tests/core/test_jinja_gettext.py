"""The Jinja2 environment's translation callables (smp_site/jinja_env.py) give what
Jinja2's own "newstyle" ones give, for every message of every catalogue: the same text, the
same escaping of the variables, "%%" written as "%"."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from smp_site.jinja_env import environment

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([a-zA-Z])")


def jinjas_own() -> Environment:
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    return env


def rendered(template, context: dict) -> str:
    """The output, or the error a message that is no format string raises in both."""
    try:
        return template.render(context)
    except (TypeError, ValueError, KeyError) as error:
        return f"{type(error).__name__}"


def messages(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        for message in read_po(po):
            if message.id:
                yield message


@pytest.mark.parametrize("language", ["en_GB", "de", "es", "fr"])
def test_every_message_renders_as_jinjas_own_gettext_renders_it(language):
    ours, theirs = environment(autoescape=True), jinjas_own()
    singular = (
        ours.from_string("{{ gettext(m, **v) }}"),
        theirs.from_string("{{ gettext(m, **v) }}"),
    )
    plural = (
        ours.from_string("{{ ngettext(m, p, n, **v) }}"),
        theirs.from_string("{{ ngettext(m, p, n, **v) }}"),
    )
    in_context = (
        ours.from_string("{{ pgettext(c, m, **v) }}"),
        theirs.from_string("{{ pgettext(c, m, **v) }}"),
    )
    compared = 0
    with translation.override(language.replace("_", "-").lower()):
        for message in messages(language):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            # Each variable a message names, with what autoescaping must escape.
            values = {
                name: f"<{name}> & co" if kind in "sr" else 3
                for text in ids
                for name, kind in PLACEHOLDER.findall(text)
                if name not in {"num", "context"}
            }
            if isinstance(message.id, tuple):
                for n in (1, 2, 5):
                    context = {"m": ids[0], "p": ids[1], "n": n, "v": values}
                    assert rendered(plural[0], context) == rendered(plural[1], context), ids
            elif message.context:
                context = {"c": message.context, "m": ids[0], "v": values}
                assert rendered(in_context[0], context) == rendered(in_context[1], context), ids
            else:
                context = {"m": ids[0], "v": values}
                assert rendered(singular[0], context) == rendered(singular[1], context), ids
            compared += 1
    assert compared > 1000  # every catalogue holds the site's 1,000-odd messages


def test_a_message_with_no_variable_still_writes_a_double_percent_as_one():
    ours, theirs = environment(autoescape=True), jinjas_own()
    source = '{{ _("100%% of requests") }} {{ _("plain") }}'
    assert ours.from_string(source).render() == theirs.from_string(source).render()
    assert ours.from_string(source).render() == "100% of requests plain"
