"""An application's photos are re-encoded by the worker, not in the request: the request
stores them as sent, privately; the worker keeps clean copies, still private until staff
approve the clinic, then emails."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from applications import intake
from applications.models import UPLOAD_STORAGE, ClinicApplication
from clinics.models import ClinicPhoto
from outbox import queue, sending
from tests import images
from tests.applications import test_applications
from tests.quotes.support import stored_files, upload

pytestmark = pytest.mark.django_db
URL, SENT = test_applications.URL, test_applications.SENT
# The application form's fixtures, shared with tests/applications/test_applications.py.
_application_settings = test_applications._application_settings
application_data = test_applications.application_data
city = test_applications.city
service = test_applications.service


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the code defers to transaction.on_commit (tasks enqueued, files deleted)
    at the end of the block, as the commit of a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def queued(monkeypatch):
    """Tasks recorded, not run: the test plays the worker itself."""
    calls = []
    monkeypatch.setattr(queue, "enqueue", lambda name, *args: calls.append((name, args)) or True)
    return calls


def _run_email_tasks(queued) -> None:
    for name, args in queued:
        if name == "outbox.tasks.send_email":
            sending.send_email(sending.model_for(args[0]), args[1])


def _bytes(upload) -> bytes:
    with storages[UPLOAD_STORAGE].open(upload.file_name, "rb") as stored:
        return stored.read()


def test_the_request_stores_the_photos_as_sent_and_leaves_the_work_to_the_worker(
    client, application_data, queued, private_dir, settings, commit
):
    gps = images.jpeg(exif=images.exif_with_gps_and_orientation(6))
    photos = [upload("a.jpg", gps), upload("b.jpg")]
    with commit():
        response = client.post(URL, application_data(photos=photos))
    assert response.status_code == 302 and response["Location"] == SENT
    application = ClinicApplication.objects.get()
    assert queued == [("applications.tasks.process_application", (application.pk,))]
    # Nothing public yet, nothing decoded, nothing emailed: only the private originals.
    assert not ClinicPhoto.objects.exists() and stored_files(settings.MEDIA_ROOT) == []
    assert len(stored_files(private_dir)) == 2 and mail.outbox == []
    assert "says if one of them could not be used" in client.get(SENT).content.decode()

    with commit():
        intake.process_application(application.pk)
    with commit():
        intake.process_application(application.pk)  # a duplicate task changes nothing
    _run_email_tasks(queued)
    # Clean copies, still private until staff approve the clinic: no public file yet.
    uploads = list(application.uploads.ready())
    assert len(uploads) == 2 and not ClinicPhoto.objects.exists()
    assert all(u.alt_text.startswith("Hairline after three sessions") for u in uploads)
    assert all(b"Exif" not in _bytes(u) and b"GPS" not in _bytes(u) for u in uploads)
    assert len(stored_files(private_dir)) == 2 and stored_files(settings.MEDIA_ROOT) == []
    assert [m.to for m in mail.outbox] == [["kim@kirkstall.example"]]
    assert "could not use" not in mail.outbox[0].body


def test_a_photo_the_worker_cannot_open_is_named_in_the_receipt(
    client, application_data, queued, private_dir, settings, commit
):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    client.post(URL, application_data(photos=[upload("good.jpg"), upload("odd.jpg")]))
    application = ClinicApplication.objects.get()
    odd = application.uploads.get(display_name="odd.jpg")
    # Damaged after inspection (a truncated tail the 1/8-scale check did not reach).
    (private_dir / odd.file_name).write_bytes(images.jpeg()[:200])
    with commit():
        intake.process_application(application.pk)
    _run_email_tasks(queued)
    assert application.uploads.ready().count() == 1
    assert application.uploads.get(ready=False).refused.startswith("“odd.jpg” is damaged")
    assert len(stored_files(private_dir)) == 1  # the clean copy of good.jpg
    receipt = next(m for m in mail.outbox if m.to == ["kim@kirkstall.example"])
    assert "We could not use 1 of your photos" in receipt.body and "odd.jpg" in receipt.body
    notice = next(m for m in mail.outbox if m.to == ["staff@smp.example"])
    assert "Portfolio photos: 1 (1 more could not be opened" in notice.body


def test_the_sweeper_finds_applications_whose_task_was_lost(
    client, application_data, queued, settings
):
    client.post(URL, application_data())
    queued.clear()  # Redis lost it
    later = timezone.now() + timedelta(seconds=settings.SWEEP_AFTER_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert intake.sweep_applications() == 1
        application = ClinicApplication.objects.get()
        assert queued == [("applications.tasks.process_application", (application.pk,))]
        intake.process_application(application.pk)
        queued.clear()
        assert intake.sweep_applications() == 0  # done: photos published, receipt made


def test_five_flat_7000_pixel_pngs_are_refused_without_being_decoded(
    client, application_data, settings, pixel_work
):
    flat = images.flat_png(7000, 7000)
    photos = [upload(f"flat{n}.png", flat, "image/png") for n in range(5)]
    response = client.post(URL, application_data(photos=photos))
    assert response.status_code == 200
    assert pixel_work == []  # refused from their headers: no pixel was decoded
    errors = response.context["form"].errors["photos"]
    assert len(errors) == 5 and all("far more pixels than a photo" in e for e in errors)
    assert not ClinicApplication.objects.exists()


def test_deleting_an_application_removes_its_waiting_photos(
    client, application_data, queued, private_dir, commit
):
    client.post(URL, application_data())
    assert len(stored_files(private_dir)) == 2
    with commit():
        ClinicApplication.objects.get().clinic.delete()
    assert stored_files(private_dir) == []
    assert reverse("applications:apply")
