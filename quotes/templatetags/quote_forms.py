"""The quick-quote form as a template tag, so directory pages can show it without the
clinics app importing quotes."""

from django import template

from clinics.models import Clinic
from quotes.forms import QuoteForm

register = template.Library()


# The form's tokens come from {% per_visitor %}, which reads the page's request itself.
@register.inclusion_tag("quotes/includes/profile_quote.html")
def quote_section_for(clinic: Clinic, form: QuoteForm | None = None) -> dict:
    """The profile's quote section: only what this clinic accepts.

    Taking requests: a quote from this artist, or from every artist in the city.
    Not taking them: the city's other artists, if any take requests; else no form.
    `form` is a form sent from this profile and shown again with its errors.
    """
    others = True
    if not clinic.takes_requests:
        others = (
            Clinic.objects.accepting_quotes()
            .in_city(clinic.placed_city)
            .exclude(quote_email="")
            .exists()
        )
    return {
        "clinic": clinic,
        "form": form or (QuoteForm(clinic=clinic) if clinic.takes_requests or others else None),
    }
