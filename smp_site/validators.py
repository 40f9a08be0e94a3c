"""Validators every public form shares."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible

# A dot-atom local part (RFC 5322) without quoting: what real mailboxes use. Django's own
# validator also takes quoted local parts such as "x,evil@attacker.example"@example.org,
# which mail systems and people read as two addresses.
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@deconstructible
class PlainEmailValidator(EmailValidator):
    message = "Enter an email address like name@example.com."

    def __call__(self, value):
        super().__call__(value)
        local = str(value).rpartition("@")[0]
        if not _DOT_ATOM.match(local):
            raise ValidationError(self.message, code=self.code, params={"value": value})


validate_plain_email = PlainEmailValidator()
