"""A request sent to three artists, and Mailgun's inbound payloads for replies by email,
signed as Mailgun signs them (HMAC-SHA256 of timestamp and token with the signing key)."""

import hashlib
import hmac
import json
import secrets
import time

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

SIGNING_KEY = "key-inbound-test-5f2a"
RELAY_DOMAIN = "relay.smp.example"
INBOUND_URL = "/anymail/mailgun/inbound/"
CLIENT = "sam@client.example"
PHONE = "07700 900123"


def signed(fields: dict, *, key: str = SIGNING_KEY, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    token = secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {**fields, "timestamp": str(timestamp), "token": token, "signature": signature}


def reply_payload(to: str, sender: str, text: str, *, attachments=()) -> dict:
    """What Mailgun's route forwards for one email (fully parsed)."""
    headers = [
        ["From", f"Someone <{sender}>"],
        ["To", to],
        ["Subject", "Re: your request"],
        ["Message-Id", f"<{secrets.token_hex(8)}@mail.example>"],
    ]
    fields = {
        "recipient": to,
        "sender": sender,
        "from": f"Someone <{sender}>",
        "subject": "Re: your request",
        "body-plain": text,
        "message-headers": json.dumps(headers),
    }
    if attachments:
        fields["attachment-count"] = str(len(attachments))
        for n, (name, data, content_type) in enumerate(attachments, start=1):
            fields[f"attachment-{n}"] = SimpleUploadedFile(name, data, content_type)
    return fields


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def everything_sent_to(address: str) -> str:
    """Every email's subject, text, HTML and headers sent to this address, as one text."""
    parts = []
    for message in emails_to(address):
        parts += [message.subject, message.body, *(str(a) for a in message.reply_to)]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)
