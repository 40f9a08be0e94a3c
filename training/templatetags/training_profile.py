"""What a clinic's profile shows about its artists' teaching, as a template tag, so the
clinics app shows it without importing training (templates/clinics/clinic_detail.html:
`{% teaching_at clinic as teaching %}`, rendered by templates/jinja2/training/teaching.html)."""

from dataclasses import dataclass

from django import template
from django.template import engines
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from common.addresses import address

from ..models import ClassInstructor, Event

register = template.Library()

# Enough for any real profile; the query stays one, whatever an artist has taught.
MAX_CLASSES = 12


@dataclass(frozen=True)
class TaughtEvent:
    name: str
    url: str


@dataclass(frozen=True)
class TaughtClass:
    title: str
    url: str
    event_name: str
    past: bool


@register.simple_tag
def teaching_at(clinic) -> SafeString:
    """The published classes this clinic's artists teach, upcoming first: one query of
    the few values the section shows."""
    rows = list(
        ClassInstructor.objects.filter(
            instructor__artist__clinic=clinic.pk,
            training_class__event__status=Event.Status.PUBLISHED,
        )
        .order_by("-training_class__starts_at")
        .values_list(
            "instructor__name",
            "training_class__title",
            "training_class__slug",
            "training_class__starts_at",
            "training_class__ends_at",
            "training_class__event_id",
            "training_class__event__name",
            "training_class__event__slug",
        )[:MAX_CLASSES]
    )
    context: dict = {"events": []}
    if rows:
        now = timezone.now()
        # Upcoming (soonest first), then past (latest first), as the rows come.
        upcoming = sorted((row for row in rows if row[4] > now), key=lambda row: row[3])
        ordered = upcoming + [row for row in rows if row[4] <= now]
        events: dict[int, TaughtEvent] = {}
        teachers: dict[str, list[TaughtClass]] = {}
        for name, title, slug, _starts, ends, event_id, event_name, event_slug in ordered:
            if event_id not in events:
                events[event_id] = TaughtEvent(event_name, address("training:event", event_slug))
            teachers.setdefault(name, []).append(
                TaughtClass(
                    title, address("training:class", event_slug, slug), event_name, ends <= now
                )
            )
        context = {"events": list(events.values()), "teachers": teachers}
    template = engines["jinja2"].get_template("training/teaching.html")
    # Already safe: a template's output, autoescaped.
    return mark_safe(template.render(context))
