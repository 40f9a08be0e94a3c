"""Invitations: at the configured delays, once each, only for a clinic the client chose."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from quotes import pipeline
from reviews.invites import send_review_invites
from reviews.models import ReviewEmail, ReviewInvite
from tests.reviews.support import chosen_request, link_in

pytestmark = pytest.mark.django_db


def _invitations():
    return [m for m in mail.outbox if "/reviews/write/" in m.body]


def test_the_delays_come_from_the_settings(client, clinic, settings):
    settings.REVIEW_INVITE_AFTER_DAYS = 30
    settings.REVIEW_FOLLOW_UP_DAYS = 200
    start = timezone.now()
    chosen_request(clinic)
    mail.outbox.clear()
    assert send_review_invites(now=start + timedelta(days=29)) == 0
    assert send_review_invites(now=start + timedelta(days=30, seconds=1)) == 1
    assert send_review_invites(now=start + timedelta(days=199)) == 0
    assert send_review_invites(now=start + timedelta(days=200, seconds=1)) == 1
    stages = list(ReviewInvite.objects.order_by("created_at").values_list("stage", flat=True))
    assert stages == ["healed", "held_up"]


def test_a_year_on_the_client_is_asked_how_it_has_held_up_once(client, clinic):
    start = timezone.now()
    chosen_request(clinic)
    with time_machine.travel(start + timedelta(days=settings.REVIEW_INVITE_AFTER_DAYS + 1)):
        call_command("send_review_invites")
    mail.outbox.clear()
    with time_machine.travel(start + timedelta(days=settings.REVIEW_FOLLOW_UP_DAYS + 1)):
        call_command("send_review_invites")
        call_command("send_review_invites")
        [follow_up] = _invitations()
        assert follow_up.subject == "A year on: how has your SMP from Aire Scalp Studio held up?"
        page = client.get(link_in(follow_up, "/reviews/write/")).content.decode()
    assert "how has your treatment at Aire Scalp Studio held up?" in page
    assert ReviewEmail.objects.filter(kind="invite").count() == 2


def test_the_follow_up_still_comes_after_the_request_retention_erased_the_request(clinic, settings):
    """The retention rule erases the request's personal details after a year; the
    invitation kept the address it needs (and only until the follow-up is sent)."""
    settings.QUOTE_REQUEST_RETENTION_DAYS = 365
    start = timezone.now()
    quote = chosen_request(clinic)
    send_review_invites(now=start + timedelta(days=91))
    with time_machine.travel(start + timedelta(days=366)):
        pipeline.erase_old_requests()
    quote.refresh_from_db()
    assert quote.status == "erased" and quote.email == ""
    mail.outbox.clear()
    with time_machine.travel(start + timedelta(days=367)):
        assert send_review_invites() == 1
    assert [m.to for m in _invitations()] == [["sam@client.example"]]
    first = ReviewInvite.objects.get(stage="healed")
    assert first.email == ""  # handed over to the follow-up
    with time_machine.travel(start + timedelta(days=367 + settings.REVIEW_LINK_DAYS + 1)):
        send_review_invites()
    assert not ReviewInvite.objects.exclude(email="").exists()


def test_a_request_the_client_erased_or_closed_without_choosing_gets_no_invitation(clinic):
    erased = chosen_request(clinic, email="erased@client.example")
    erased.erase()
    send_review_invites(now=timezone.now() + timedelta(days=91))
    assert not ReviewInvite.objects.exists()


def test_the_beat_schedule_runs_the_job():
    entry = settings.CELERY_BEAT_SCHEDULE["send-review-invites"]
    assert entry["task"] == "reviews.tasks.send_review_invites"
    from outbox.queue import task_named

    assert task_named(entry["task"]).name == entry["task"]
