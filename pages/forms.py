import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import EmailAddressField, SpamCheckedForm

from .models import ContactMessage

# The shape of a quote's reference (quotes.models.new_reference).
QUOTE_REFERENCE = re.compile(r"Q-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}")


class ContactForm(SpamCheckedForm, forms.ModelForm):
    """/contact/: a message to staff, with the same spam checks as every public form."""

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "topic", "reference", "message"]
        field_classes = {"email": EmailAddressField}
        labels = {
            "name": gettext_lazy("Your name"),
            "email": gettext_lazy("Your email address"),
            "topic": gettext_lazy("What is it about?"),
            "reference": gettext_lazy("Quote reference"),
            "message": gettext_lazy("Your message"),
        }
        help_texts = {
            "email": gettext_lazy("We reply to this address. It is never shown on the site."),
            "reference": gettext_lazy(
                "If it is about a quote request: it looks like Q-AB2CD-EF3GH."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if reference and not QUOTE_REFERENCE.fullmatch(reference):
            raise forms.ValidationError(
                _(
                    "That isn’t a quote reference: it looks like Q-AB2CD-EF3GH. Leave it empty "
                    "if you don’t have one."
                )
            )
        return reference
