"""A request's reference, kept on one line: "Q-9B7NN-VRBHB" must never wrap at a hyphen
into "Q-" and "9B7NN-VRBHB", which reads as two things and is copied as neither."""

from django import template
from django.utils.html import format_html
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
