from django import forms
from django.utils.translation import gettext_lazy

from common.forms import has_control_characters

from .models import Message


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": Message.MAX_LENGTH}),
        error_messages={
            "required": gettext_lazy("Please write your message."),
            "max_length": gettext_lazy(
                "Please keep a message to %(limit_value)s characters (it has %(show_value)s)."
            ),
        },
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if has_control_characters(body):
            raise forms.ValidationError(
                gettext_lazy("Please remove the invisible control characters from this text.")
            )
        return body


class ClientMessageForm(MessageForm):
    """The client may also share their email address and phone with this artist."""

    share_contact = forms.BooleanField(
        label=gettext_lazy("Share my email address and phone with this artist"),
        required=False,
        help_text=gettext_lazy(
            "Until you do, or choose this artist, they know you by your first name and "
            "write to you through us."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sharing the details is a message of its own: no text needed with it.
        self.fields["body"].required = not self.data.get("share_contact")


class ArtistMessageForm(MessageForm):
    pass
