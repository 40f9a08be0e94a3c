"""`{% kept "name" value… %}…{% endkept %}`: a part of a page rendered once per content version.

What is inside is rendered when this process has not kept it under the current content
version and day (smp_site/page_cache.py, "Fragments") and the values given, and is taken
from memory otherwise, so the queries and template work behind it are skipped. Values
that differ per visitor are written with `{% per_visitor %}`, as on cached pages: the
part keeps markers, and each request fills them in.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from smp_site.page_cache import kept_fragment

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name, values) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context: template.Context) -> SafeString:
        request = getattr(context, "request", None) or context.get("request")
        if request is None:  # an error page rendered without one: nothing to key it on
            return mark_safe(self.nodelist.render(context))
        parts = [str(self.name.resolve(context))]
        parts += [str(value.resolve(context)) for value in self.values]
        html = kept_fragment(
            request, "kept:" + ":".join(parts), lambda: self.nodelist.render(context)
        )
        return mark_safe(html)


@register.tag
def kept(parser, token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            '{% kept %} needs a name: {% kept "profile" clinic.pk %}'
        )
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
