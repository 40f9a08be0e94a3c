"""`{% per_visitor "csrf" %}`: a value that must differ for each visitor, even on cached pages.

The names are those of `common.page_cache.PER_VISITOR`. On a page the cache is storing
the tag writes a marker that each response fills in for its own visitor.
"""

from django import template

from common.page_cache import per_visitor_value

register = template.Library()


@register.simple_tag(takes_context=True)
def per_visitor(context: template.Context, name: str) -> str:
    # The attribute, not the variable: it survives `{% include … only %}` and inclusion tags.
    request = getattr(context, "request", None)
    if request is None:
        raise template.TemplateSyntaxError("{% per_visitor %} needs a page rendered for a request")
    return per_visitor_value(request, name)
