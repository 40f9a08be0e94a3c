from django import forms

from common.forms import EmailAddressField


class SignInForm(forms.Form):
    email = EmailAddressField(
        label="Your email address",
        max_length=254,
        error_messages={"required": "Please enter your email address."},
    )
