"""The quick-quote form as a template tag, so directory pages can show it without the
clinics app importing quotes (templates/clinics/clinic_detail.html:
`{% quote_section_for clinic form as quote_section %}`), rendered by
templates/jinja2/quotes/profile_quote.html."""

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from clinics.models import Clinic
from quotes.forms import QuoteForm

register = template.Library()


@register.simple_tag(takes_context=True)
def quote_section_for(
    context: template.Context, clinic: Clinic, form: QuoteForm | None = None
) -> SafeString:
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
    values = {
        "clinic": clinic,
        "form": form or (QuoteForm(clinic=clinic) if clinic.takes_requests or others else None),
        # The form's tokens (per_visitor): the attribute survives `only` and inclusion tags.
        "request": getattr(context, "request", None),
    }
    template_ = engines["jinja2"].get_template("quotes/profile_quote.html")
    # Already safe: a template's output, autoescaped.
    return mark_safe(template_.render(values))
