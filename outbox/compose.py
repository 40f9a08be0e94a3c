"""The one function that turns a delivery row into an email message."""

from anymail.message import AnymailMessage
from django.conf import settings
from django.template.loader import render_to_string

from .kinds import kind_of
from .models import OutgoingEmail


def site_context() -> dict:
    """What every email's layout needs (templates/email/base.html and base.txt)."""
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}


def compose(delivery: OutgoingEmail) -> AnymailMessage:
    """Subject, plain text and HTML for this row, from its kind's templates.

    The HTML extends templates/email/base.html and the text templates/email/base.txt,
    so every email shares one layout and one footer.
    """
    kind = kind_of(delivery)
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
    return message
