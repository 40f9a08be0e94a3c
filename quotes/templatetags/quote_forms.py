"""The quick-quote form as a template tag, so directory pages can show it without the
clinics app importing quotes."""

from django import template

from quotes.forms import QuoteForm

register = template.Library()


# The form's tokens come from {% per_visitor %}, which reads the page's request itself.
@register.inclusion_tag("includes/quote_form.html")
def quote_form_for(clinic):
    return {"form": QuoteForm(clinic=clinic)}
