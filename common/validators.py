"""Validators every public form shares."""

import re
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible

# A dot-atom local part (RFC 5322) without quoting: what real mailboxes use. Django's own
# validator also takes quoted local parts such as "x,evil@attacker.example"@example.org,
# which mail systems and people read as two addresses.
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@deconstructible
class PlainEmailValidator(EmailValidator):
    """One mailbox on the public internet, written so that every mail system reads it
    as that one address (it goes into To: and Reply-To: headers).

    Django's validator takes more: a quoted local part, an IP literal (a@[127.0.0.1]) and
    `localhost`. This refuses those, any domain without a dot (a@intranet), and anything
    Python's email.utils would read as another address or as several, or an RFC 2047
    encoded word ("=?"), which some mail readers decode into another address.
    """

    message = "Enter an email address like name@example.com."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain_allowlist = []  # Django's default allows "localhost"

    def __call__(self, value):
        super().__call__(value)
        local, _, domain = str(value).rpartition("@")
        if (
            not _DOT_ATOM.match(local)
            or domain.startswith("[")
            or "." not in domain
            or "=?" in str(value)
            or getaddresses([str(value)]) != [("", str(value))]
        ):
            raise ValidationError(self.message, code=self.code, params={"value": value})


validate_plain_email = PlainEmailValidator()


# The site's languages other than English's default, as the JSON of names per language
# keys them ("en", "de", "es", "fr"): what staff type in the admin is checked against it.
NAME_LANGUAGES = ("en", "de", "es", "fr")


def validate_names_per_language(value) -> None:
    """{"en": "Munich", "es": "Múnich"}: each key one of the site's languages, each value
    a short text (City.local_names)."""
    if not isinstance(value, dict):
        raise ValidationError('Write an object, e.g. {"en": "Munich", "es": "Múnich"}.')
    for language, name in value.items():
        if language not in NAME_LANGUAGES:
            raise ValidationError(
                f"“{language}” is not one of the site's languages: {', '.join(NAME_LANGUAGES)}."
            )
        if not isinstance(name, str) or not name.strip() or len(name) > 120:
            raise ValidationError(f"The name for “{language}” must be text of 1 to 120 characters.")


def validate_texts_per_language(value) -> None:
    """{"de": {"name": "…", "description": "…"}}: each key one of the site's languages, each
    value an object of texts (Service.translations)."""
    if not isinstance(value, dict):
        raise ValidationError('Write an object, e.g. {"de": {"name": "…", "description": "…"}}.')
    for language, texts in value.items():
        if language not in NAME_LANGUAGES:
            raise ValidationError(
                f"“{language}” is not one of the site's languages: {', '.join(NAME_LANGUAGES)}."
            )
        if not isinstance(texts, dict) or set(texts) - {"name", "description"}:
            raise ValidationError(
                f"“{language}” must be an object with “name” and “description”, nothing else."
            )
        limits = {"name": 80, "description": 240}
        for field, text in texts.items():
            if not isinstance(text, str) or len(text) > limits[field]:
                raise ValidationError(
                    f"The {field} for “{language}” must be text of at most {limits[field]} "
                    "characters."
                )


@deconstructible
class TextPerLanguageValidator:
    """{"de": "…", "fr": "…"}: each key one of the site's languages, each value a text of
    at most `limit` characters (a clinic's summary or description in other languages)."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        if not isinstance(value, dict):
            raise ValidationError('Write an object, e.g. {"de": "…", "fr": "…"}.')
        for language, text in value.items():
            if language not in NAME_LANGUAGES:
                raise ValidationError(
                    f"“{language}” is not one of the site's languages: {', '.join(NAME_LANGUAGES)}."
                )
            if not isinstance(text, str) or len(text) > self.limit:
                raise ValidationError(
                    f"The text for “{language}” must be text of at most {self.limit:,} characters."
                )

    def __eq__(self, other) -> bool:
        return isinstance(other, TextPerLanguageValidator) and other.limit == self.limit
