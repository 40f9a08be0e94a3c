"""Public training pages (drafts appear on none), calendar files, seat enquiries, and the
organiser's private seat page."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from common.addresses import absolute_url
from common.client_ip import client_ip_hash
from common.decorators import over_form_limits, private_page
from common.languages import current_language
from common.page_cache import cache_public_page, dont_store
from common.pagination import page_or_404

from . import calendar, structured_data
from .forms import ClassFilterForm, EnquiryForm, SeatsForm
from .links import matches_organiser, seats_link_from
from .models import Enquiry, Event, TrainingClass

logger = logging.getLogger(__name__)


def _published_event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.published().select_related("city", "organiser_clinic__city"), slug=slug
    )


def _published_class(event_slug: str, class_slug: str) -> TrainingClass:
    return get_object_or_404(
        TrainingClass.objects.published()
        .select_related("event__city", "event__organiser_clinic__city")
        .with_instructors(),
        event__slug=event_slug,
        slug=class_slug,
    )


def _event_classes(event: Event) -> list[TrainingClass]:
    classes = list(event.classes.with_instructors().order_by("starts_at", "title"))
    for training_class in classes:
        training_class.event = event  # one shared instance: no query per class
    return classes


@require_safe
@cache_public_page(params=("topic", "level", "country", "format", "page"))
def class_list(request):
    """Classes not over yet, soonest first, with filters; past events are in the archive."""
    current = TrainingClass.objects.published().current()
    # One query gives the filters' choices (only what some class has: no choice that can
    # only list nothing) and, unfiltered, the number of classes: the paginator need not
    # count them again.
    counts = list(
        current.order_by()
        .values_list("event__online", "event__city__country", "topic", "level")
        .annotate(n=Count("pk"))
    )
    countries = {country for online, country, *_ in counts if not online and country}
    form = ClassFilterForm(
        request.GET or None,
        country_codes=sorted(countries),
        topics={topic for _, _, topic, _, _ in counts},
        levels={level for _, _, _, level, _ in counts},
        formats={"online" if online else "in-person" for online, *_ in counts},
    )
    if form.is_bound and not form.is_valid():
        dont_store(request)  # a value no filter offers: answered, never an entry of its own
    classes = form.filter(current.for_cards().with_instructors()).order_by("starts_at", "title")
    # Any valid value filters, even beside one that is not (form.filter ignores that one).
    filtered = form.is_bound and any(form.cleaned_data.get(name) for name in form.fields)
    total = None if filtered else sum(n for *_, n in counts)
    page = page_or_404(request, classes, settings.TRAINING_CLASSES_PER_PAGE, count=total)
    query = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    return render(
        request,
        "training/class_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.active(),
            "query_string": urlencode(query),
            "now": timezone.now(),
        },
    )


@require_safe
@cache_public_page(params=("page",))
def archive(request):
    events = (
        Event.objects.published()
        .past()
        .select_related("city", "organiser_clinic")
        .order_by("-starts_at", "name")
    )
    page = page_or_404(request, events, settings.TRAINING_EVENTS_PER_PAGE)
    return render(request, "training/archive.html", {"page": page})


@require_safe
@cache_public_page
def event_detail(request, event: str):
    event_obj = _published_event(event)
    classes = _event_classes(event_obj)
    return render(
        request,
        "training/event_detail.html",
        {
            "event": event_obj,
            "classes": classes,
            "past": event_obj.is_past(),
            "now": timezone.now(),
            "json_ld": structured_data.event_data(event_obj, classes, absolute_url),
        },
    )


def _class_page(request, training_class: TrainingClass, form: EnquiryForm, status: int = 200):
    event = training_class.event
    others = [
        c
        for c in event.classes.only("title", "slug", "starts_at", "ends_at", "event_id")
        if c.pk != training_class.pk
    ]
    for other in others:
        other.event = event
    return render(
        request,
        "training/class_detail.html",
        {
            "event": event,
            "training_class": training_class,
            "form": form,
            "others": others,
            "taking_enquiries": training_class.takes_enquiries(),
            "json_ld": structured_data.education_event(training_class, absolute_url),
        },
        status=status,
    )


@require_safe
@cache_public_page
def class_detail(request, event: str, training_class: str):
    class_obj = _published_class(event, training_class)
    return _class_page(request, class_obj, EnquiryForm(training_class=class_obj))


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enquire(request, event: str, training_class: str):
    """The enquiry form posts here; shown again with its messages when something is missing."""
    class_obj = _published_class(event, training_class)
    if request.method != "POST":
        return redirect(class_obj.get_absolute_url() + "#enquire")
    form = EnquiryForm(request.POST, training_class=class_obj)
    sent = reverse("training:enquiry-sent", args=[event, training_class])
    verdict = form.spam_verdict()
    if verdict.is_bot:
        # Only a certain bot is answered like a success with nothing stored or emailed; an
        # enquiry that merely looks hurried still reaches the organiser, who reads it anyway.
        logger.info("Training enquiry dropped as spam (%s)", verdict.reason)
        return redirect(sent)
    if not class_obj.takes_enquiries():
        form.add_error(None, gettext("This class has started: it takes no more enquiries."))
    elif form.is_valid():
        enquiry = form.earlier_enquiry()  # the same form posted again: answered as before
        if enquiry is None:
            held = over_form_limits(
                request,
                rate_setting="TRAINING_ENQUIRY_RATE_LIMIT",
                group="training-enquiries",
                address=form.cleaned_data["email"],
            )
            form.instance.language = current_language()  # the artist's confirmation's
            enquiry, _created = form.save_enquiry(ip_hash=client_ip_hash(request), held_reason=held)
        return redirect(sent + _sent_query(enquiry))
    return _class_page(request, class_obj, form, status=200)


def _sent_query(enquiry: Enquiry) -> str:
    """What the thanks page must say: held for staff, on the waiting list, or sent."""
    if enquiry.held_reason:
        return "?list=held"
    return "?list=waiting" if enquiry.waiting_list else ""


@require_safe
def enquiry_sent(request, event: str, training_class: str):
    class_obj = _published_class(event, training_class)
    response = render(
        request,
        "training/enquiry_sent.html",
        {
            "training_class": class_obj,
            "event": class_obj.event,
            "waiting": request.GET.get("list") == "waiting",
            "held": request.GET.get("list") == "held",
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@require_safe
@cache_public_page
def event_ics(request, event: str):
    event_obj = _published_event(event)
    classes = _event_classes(event_obj)
    return _ics(calendar.event_calendar(event_obj, classes, absolute_url), event_obj.slug)


@require_safe
@cache_public_page
def class_ics(request, event: str, training_class: str):
    class_obj = _published_class(event, training_class)
    content = calendar.calendar_for(
        [class_obj], absolute_url, f"{class_obj.title} ({class_obj.event.name})"
    )
    return _ics(content, f"{class_obj.event.slug}-{class_obj.slug}")


def _seat_class(request) -> TrainingClass | None:
    """The class a valid seat link names, while its organiser is still the one it was sent to."""
    link = seats_link_from(request.GET.get("key", ""))
    if link is None:
        return None
    class_id, digest = link
    training_class = (
        TrainingClass.objects.select_related("event__city", "event__organiser_clinic")
        .filter(pk=class_id)
        .first()
    )
    if training_class is None:
        return None
    if not matches_organiser(digest, training_class.event.organiser_address):
        return None
    return training_class


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def seats(request):
    """The organiser marks seats taken. GET only shows the form; the change is a POST."""
    training_class = _seat_class(request)
    if training_class is None:
        return render(
            request,
            "training/seats_link_expired.html",
            {"link_days": settings.TRAINING_SEAT_LINK_DAYS},
            status=410,
        )
    posted = request.method == "POST"
    if posted and "all" in request.POST:
        training_class.mark_seats_taken(training_class.seats)
        return _seats_saved(request)
    form = SeatsForm(request.POST if posted else None, training_class=training_class)
    if form.is_bound and form.is_valid():
        training_class.mark_seats_taken(form.cleaned_data["seats_taken"])
        return _seats_saved(request)
    enquiries = training_class.enquiries.aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(waiting_list=True))
    )
    return render(
        request,
        "training/seats.html",
        {
            "training_class": training_class,
            "event": training_class.event,
            "form": form,
            "enquiries": enquiries,
            "saved": request.GET.get("saved") == "1",
        },
    )


def _seats_saved(request):
    return redirect(f"{request.path}?{urlencode({'key': request.GET['key'], 'saved': 1})}")
