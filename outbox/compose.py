"""The one function that turns a delivery row into an email message."""

from anymail.message import AnymailMessage
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from common.languages import email_language

from .kinds import kind_of
from .models import OutgoingEmail


def site_context() -> dict:
    """What every email's layout needs (templates/email/base.html and base.txt): the home
    page's address is the reader's language's (called in it, by compose)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "home_url": settings.SITE_URL + reverse("pages:home"),
    }


def compose(delivery: OutgoingEmail) -> AnymailMessage:
    """Subject, plain text and HTML for this row, from its kind's templates.

    The HTML extends templates/email/base.html and the text templates/email/base.txt,
    so every email shares one layout and one footer.
    """
    kind = kind_of(delivery)
    language = email_language(delivery.reader_language())
    # Built and rendered in the reader's language, whatever the sender's (a worker's is
    # English; an eager send in a request has its visitor's): gettext, dates and prices,
    # and every reverse() and {% url %}, which lead to that language's pages.
    with translation.override(language):
        content = kind.build(delivery)
        context = {**site_context(), **content.context}
        subject = render_to_string(f"{kind.template}_subject.txt", context)
        text = render_to_string(f"{kind.template}_body.txt", context)
        html = render_to_string(f"{kind.template}_body.html", context)
    # AnymailMessage is an EmailMultiAlternatives that also carries the ESP's metadata and
    # tags; any other backend (files, SMTP, the tests' outbox) simply ignores them.
    message = AnymailMessage(
        " ".join(subject.split()), text, to=[delivery.to_email], reply_to=content.reply_to
    )
    message.attach_alternative(html, "text/html")
    # The row's own, on every attempt (outbox/sending.py): a resend is the same message.
    message.extra_headers["Message-ID"] = delivery.message_id_header
    # Read by anymail: tracking events name the row they are about.
    message.metadata = {"outbox": delivery._meta.label_lower, "id": str(delivery.pk)}
    message.tags = [kind.tag]
    # The language it is written in, for mail clients that offer to translate.
    message.extra_headers["Content-Language"] = language
    return message
