"""The sample events `load_demo` makes: at least one past, two upcoming, one online, all
marked as sample, and the same on every run."""

from datetime import date

import pytest
from django.core.management import call_command

from training.models import Event, TrainingClass

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data"), pytest.mark.slow]


def test_load_demo_makes_marked_sample_events_and_is_idempotent(client):
    # The first run is the module's (`demo_data`, tests/conftest.py).
    first = list(Event.objects.order_by("slug").values_list("slug", "starts_on"))
    classes = TrainingClass.objects.count()
    call_command("load_demo", skip_gazetteer=True)
    assert list(Event.objects.order_by("slug").values_list("slug", "starts_on")) == first
    assert TrainingClass.objects.count() == classes

    events = Event.objects.published()
    assert not Event.objects.filter(is_sample=False).exists()
    assert events.past().count() >= 1
    assert events.upcoming().count() >= 2
    assert events.upcoming().filter(online=True).exists()
    assert events.filter(kind=Event.Kind.COURSE, classes__isnull=False).distinct().exists()
    # Artists from the sample directory teach, and a guest too.
    assert TrainingClass.objects.filter(instructors__artist__isnull=False).exists()
    assert TrainingClass.objects.filter(instructors__artist__isnull=True).exists()
    assert TrainingClass.objects.filter(seats_taken__gte=1).exists()

    for event in events:
        html = client.get(event.get_absolute_url()).content.decode()
        assert "Sample event" in html, event.slug
    training_class = TrainingClass.objects.filter(event__online=True).first()
    html = client.get(training_class.get_absolute_url()).content.decode()
    assert "organiser’s time" in html and "Sample event" in html


def test_the_sample_dates_follow_the_day_it_runs():
    from demo.training import load_training

    counts = load_training(today=date(2031, 12, 31))
    assert counts["events"] == 4
    # A year apart, in different years, even on the last day of a year.
    meetings = Event.objects.filter(slug__startswith="northern-smp-meeting-").order_by("starts_on")
    assert [e.slug for e in meetings] == ["northern-smp-meeting-2031", "northern-smp-meeting-2032"]
