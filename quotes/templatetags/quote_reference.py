"""A request's reference, kept on one line: "Q-9B7NN-VRBHB" must never wrap at a hyphen
into "Q-" and "9B7NN-VRBHB", which reads as two things and is copied as neither.

Also the artists' names a request's pages list inside a sentence, as one value, so the
sentence stays whole for translation."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def reference(value: str, where: str = "page") -> SafeString:
    """`{{ quote.reference|reference }}` on a page (the site's CSS keeps `.reference` on one
    line); `{{ quote.reference|reference:"email" }}` in an HTML email, where only inline
    styles are sure to reach the reader."""
    if where == "email":
        return format_html('<span style="white-space: nowrap;">{}</span>', value)
    return format_html('<span class="reference">{}</span>', value)


@register.filter
def strong_names(clinics: Iterable[Any]) -> SafeString:
    """Clinics' names as "<strong>A</strong>, <strong>B</strong>", each escaped: one
    placeholder in a translated sentence, so the sentence isn't cut around a loop."""
    return format_html_join(", ", "<strong>{}</strong>", ((clinic.name,) for clinic in clinics))


@register.filter
def names(clinics: Iterable[Any]) -> str:
    """Clinics' names as "A, B" (escaped where shown, as any value): one placeholder in a
    translated sentence."""
    return ", ".join(clinic.name for clinic in clinics)
