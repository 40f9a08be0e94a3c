from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import QuoteReply


class ReplyForm(forms.ModelForm):
    """An artist's price for one request, or an honest "not a fit"."""

    class Meta:
        model = QuoteReply
        fields = [
            "declined",
            "price_min",
            "price_max",
            "price_type",
            "sessions",
            "deposit",
            "includes",
            "available_from",
            "message",
        ]
        labels = {
            "declined": gettext_lazy("This request is not a fit for us (no price)"),
            "price_min": gettext_lazy("Price from"),
            "price_max": gettext_lazy("Price up to"),
            "price_type": gettext_lazy("Is the price fixed?"),
            "sessions": gettext_lazy("Number of sessions"),
            "deposit": gettext_lazy("Deposit"),
            "includes": gettext_lazy("What the price includes"),
            "available_from": gettext_lazy("Earliest start date"),
            "message": gettext_lazy("Message to the client"),
        }
        help_texts = {
            "price_min": gettext_lazy("Required unless the request is not a fit."),
            "price_max": gettext_lazy(
                "Required unless the request is not a fit; the same as “from” is fine."
            ),
            "price_type": gettext_lazy("Required unless the request is not a fit."),
            "includes": gettext_lazy(
                "For example: three sessions and one touch-up within 12 months."
            ),
            "message": gettext_lazy("Questions, advice, or why this is not a fit."),
        }
        widgets = {
            # <input type="date"> takes only YYYY-MM-DD: a localised value renders empty
            # and is lost on the next save.
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "price_type": forms.RadioSelect,
        }

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("price_min", "price_max", "deposit"):
            # Translators: a form label and its currency code, e.g. "Price from (EUR)".
            self.fields[name].label = _("%(label)s (%(currency)s)") % {
                "label": self.fields[name].label,
                "currency": currency,
            }
            self.fields[name].widget.attrs.update(min=0, step=1, inputmode="numeric")
        self.fields["sessions"].widget.attrs.update(min=1, max=20)
        cast(forms.ChoiceField, self.fields["price_type"]).choices = QuoteReply.PriceType.choices
        # Required unless "not a fit" is ticked (checked in clean()): not "(optional)".
        # templates/includes/form_field.html reads `required_unless`.
        for name in ("price_min", "price_max", "price_type"):
            self.fields[name].required_unless = "declined"  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("declined"):
            return data
        low, high = data.get("price_min"), data.get("price_max")
        if low is None and "price_min" not in self.errors:
            self.add_error("price_min", _("Give a price, or tick “not a fit”."))
        if high is None and "price_max" not in self.errors:
            self.add_error(
                "price_max", _("Give the top of your range (the same as “from” is fine).")
            )
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("“Up to” must be at least the “from” price."))
        if not data.get("price_type") and "price_type" not in self.errors:
            self.add_error("price_type", _("Say whether the price is fixed or an estimate."))
        deposit = data.get("deposit")
        if deposit is not None and high is not None and deposit > high:
            self.add_error("deposit", _("The deposit can't be more than the price."))
        sessions = data.get("sessions")
        if sessions is not None and not 1 <= sessions <= 20:
            self.add_error("sessions", _("Between 1 and 20 sessions, please."))
        start = data.get("available_from")
        if start is not None and start < timezone.localdate():
            self.add_error("available_from", _("Choose today or a later date."))
        return data
