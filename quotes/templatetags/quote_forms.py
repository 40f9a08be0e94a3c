"""The quick-quote form as a template tag, so directory pages can show it without the
clinics app importing quotes."""

from django import template

from quotes.forms import QuoteForm

register = template.Library()


@register.inclusion_tag("includes/quote_form.html", takes_context=True)
def quote_form_for(context, clinic):
    return {"form": QuoteForm(clinic=clinic), "csrf_token": context.get("csrf_token")}
