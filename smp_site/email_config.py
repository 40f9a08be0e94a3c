"""The anymail ESP chosen by ANYMAIL_ESP, as EMAIL_BACKEND plus ANYMAIL entries.

Shared by settings.py and the tests, so both build the same configuration.
"""

from django.core.exceptions import ImproperlyConfigured

ESP_BACKENDS = {
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "postmark": "anymail.backends.postmark.EmailBackend",
    "sendgrid": "anymail.backends.sendgrid.EmailBackend",
    "amazon_ses": "anymail.backends.amazon_ses.EmailBackend",
    "brevo": "anymail.backends.brevo.EmailBackend",
}

# Where each ESP's API credential goes in ANYMAIL. Amazon SES has none here: boto3
# finds its credentials itself (an instance role, or the AWS_* environment).
_KEY_SETTING = {
    "mailgun": "MAILGUN_API_KEY",
    "postmark": "POSTMARK_SERVER_TOKEN",
    "sendgrid": "SENDGRID_API_KEY",
    "brevo": "BREVO_API_KEY",
}


def esp_settings(
    esp: str,
    *,
    api_key: str | None = None,
    api_url: str | None = None,
    sender_domain: str | None = None,
    webhook_signing_key: str | None = None,
) -> tuple[str, dict]:
    """(EMAIL_BACKEND, ANYMAIL entries) for one ESP. Refuses a configuration that cannot send."""
    if esp not in ESP_BACKENDS:
        choices = ", ".join(sorted(ESP_BACKENDS))
        raise ImproperlyConfigured(f"ANYMAIL_ESP={esp!r} is not one of: {choices}.")
    anymail: dict = {}
    if esp in _KEY_SETTING:
        if not api_key:
            raise ImproperlyConfigured(f"ANYMAIL_ESP={esp} needs ANYMAIL_API_KEY.")
        anymail[_KEY_SETTING[esp]] = api_key
    if api_url:
        if esp == "amazon_ses":
            anymail["AMAZON_SES_CLIENT_PARAMS"] = {"endpoint_url": api_url}
        else:
            anymail[f"{esp.upper()}_API_URL"] = api_url
    if esp == "mailgun":
        if sender_domain:
            anymail["MAILGUN_SENDER_DOMAIN"] = sender_domain
        if webhook_signing_key:
            anymail["MAILGUN_WEBHOOK_SIGNING_KEY"] = webhook_signing_key
    return ESP_BACKENDS[esp], anymail
