"""The table of every email the site sends: one entry per (delivery model, kind).

Each app registers its kinds from its own emails.py (imported by its AppConfig.ready),
with the templates that say it and a function that gathers what they need from the
delivery row. outbox/compose.py turns any row into a message through this table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import OutgoingEmail


@dataclass(frozen=True)
class EmailContent:
    """What a kind's builder returns for one delivery row."""

    context: dict[str, Any]
    reply_to: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EmailKind:
    model_label: str  # "quotes.quotedelivery"
    kind: str  # "artist"
    # "quotes/email/artist_request": _subject.txt, _body.txt and _body.html beside it.
    template: str
    build: Callable[[Any], EmailContent]

    @property
    def tag(self) -> str:
        """The ESP tag: which email this was, for the ESP's own statistics."""
        return f"{self.model_label.split('.')[0]}-{self.kind}"


KINDS: dict[tuple[str, str], EmailKind] = {}


def email_kind(model: type[OutgoingEmail], kind: str, *, template: str):
    """Register the decorated function as the builder of `model` rows of this kind."""

    def register(build: Callable[[Any], EmailContent]) -> Callable[[Any], EmailContent]:
        key = (model._meta.label_lower, str(kind))
        KINDS[key] = EmailKind(key[0], key[1], template, build)
        return build

    return register


def kind_of(delivery: OutgoingEmail) -> EmailKind:
    try:
        return KINDS[(delivery._meta.label_lower, delivery.kind)]
    except KeyError:
        raise LookupError(
            f"No email is registered for {delivery._meta.label} kind {delivery.kind!r}"
        ) from None
