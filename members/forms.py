from django import forms

from common.forms import EmailAddressField


class SignInForm(forms.Form):
    email = EmailAddressField(
        label="Your email address",
        max_length=254,
        error_messages={"required": "Please enter your email address."},
    )


class InviteForm(forms.Form):
    email = EmailAddressField(
        label="Their email address",
        max_length=254,
        error_messages={"required": "Please enter the address to invite."},
    )
    role = forms.ChoiceField(
        label="What they can do",
        choices=[
            ("artist", "Artist: sees and answers the clinic's requests"),
            ("owner", "Owner: everything, including the listing and this team"),
        ],
        widget=forms.RadioSelect,
        initial="artist",
    )
