"""What a clinic's profile shows about its artists' teaching, as a template tag, so the
clinics app shows it without importing training (templates/clinics/clinic_detail.html
includes templates/training/includes/instructor_badge.html, which calls this)."""

from django import template
from django.utils import timezone

from ..models import ClassInstructor, Event

register = template.Library()

# Enough for any real profile; the query stays one, whatever an artist has taught.
MAX_CLASSES = 12


@register.inclusion_tag("training/includes/teaching.html")
def teaching_at(clinic) -> dict:
    """The published classes this clinic's artists teach, upcoming first, in one query."""
    links = list(
        ClassInstructor.objects.filter(
            instructor__artist__clinic=clinic,
            training_class__event__status=Event.Status.PUBLISHED,
        )
        .select_related("instructor", "training_class__event")
        .only(
            "instructor__name",
            "training_class__title",
            "training_class__slug",
            "training_class__starts_at",
            "training_class__ends_at",
            "training_class__event__name",
            "training_class__event__slug",
            "training_class__event__starts_on",
            "training_class__event__ends_on",
            "training_class__event__ends_at",
            "training_class__event__time_zone",
        )
        .order_by("-training_class__starts_at")[:MAX_CLASSES]
    )
    now = timezone.now()
    upcoming = sorted(
        (link for link in links if link.training_class.ends_at > now),
        key=lambda link: link.training_class.starts_at,
    )
    past = [link for link in links if link.training_class.ends_at <= now]
    ordered = upcoming + past
    events: list[Event] = []
    for link in ordered:
        if link.training_class.event not in events:
            events.append(link.training_class.event)
    teachers: dict[str, list] = {}
    for link in ordered:
        teachers.setdefault(link.instructor.name, []).append(link.training_class)
    return {"events": events, "teachers": teachers, "now": now}
