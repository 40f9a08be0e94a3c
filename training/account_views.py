"""Training a clinic organises, in its account: each class's seats and the enquiries it
had (those staff held are shown once staff send them), with the seats page that the
organiser's emails link (its links keep working)."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from members.access import member_required

from .links import seats_path
from .models import Enquiry, Event, TrainingClass


@member_required(owner=True)
@require_http_methods(["GET", "HEAD"])
def organised(request):
    member = request.member
    sent = Enquiry.objects.filter(held_reason="").order_by("-created_at")
    classes = TrainingClass.objects.annotate(
        enquiry_count=Count("enquiries", filter=Q(enquiries__held_reason="")),
        waiting_count=Count(
            "enquiries", filter=Q(enquiries__held_reason="", enquiries__waiting_list=True)
        ),
    ).prefetch_related(Prefetch("enquiries", queryset=sent, to_attr="sent_enquiries"))
    events = list(
        Event.objects.filter(organiser_clinic=member.clinic)
        .prefetch_related(Prefetch("classes", queryset=classes.order_by("starts_at")))
        .order_by("-starts_at")
    )
    rows = [
        (event, [(c, seats_path(c.pk, event.organiser_address)) for c in event.classes.all()])
        for event in events
    ]
    return render(
        request,
        "training/account_organised.html",
        {"member": member, "rows": rows, "account_section": "training"},
    )
