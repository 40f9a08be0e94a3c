"""Listing applications and credentials moved out of clinics into apps of their own: a
database migrated on the old layout keeps every row, and staff keep their permissions and
the admin's history of those rows."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.models import ApplicationEmail, ApplicationUpload, ClinicApplication
from credentials.models import Credential, CredentialEmail
from tests.factories import ArtistFactory, CityFactory, ClinicFactory

# Migrating backwards needs the schema editor outside a transaction on SQLite.
pytestmark = pytest.mark.django_db(transaction=True)

# The layout before the move: these models were clinics', in clinics_* tables.
BEFORE_MOVE = [
    ("clinics", "0016_clinic_cover_columns"),
    ("applications", None),
    ("credentials", None),
]
MOVED = {
    "applications": ["clinicapplication", "applicationupload", "applicationemail"],
    "credentials": ["credential", "credentialemail"],
}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        executor.migrate(targets)
    return executor


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.fixture
def old_layout():
    """The database as the old layout left it, with rows made through the old models."""
    city = CityFactory()
    clinic = ClinicFactory(city=city, status="pending", name="Inkline Leeds")
    artist = ArtistFactory(clinic=ClinicFactory(city=city, name="Hairline House"))
    executor = _migrate(BEFORE_MOVE)
    try:
        applied = executor.recorder.applied_migrations()
        old = executor.loader.project_state(list(applied)).apps
        application = old.get_model("clinics", "ClinicApplication").objects.create(
            clinic_id=clinic.pk,
            contact_name="Kim Owner",
            contact_email="kim@inkline.example",
            requested_city="Leeds",
            form_nonce="nonce-1",
        )
        old.get_model("clinics", "ApplicationUpload").objects.create(
            application_id=application.pk,
            file_name="applications/abc.jpg",
            display_name="hairline.jpg",
            order=1,
            alt_text="A hairline, healed",
        )
        old.get_model("clinics", "ApplicationEmail").objects.create(
            application_id=application.pk, kind="received", to_email="kim@inkline.example"
        )
        credential = old.get_model("clinics", "Credential").objects.create(
            clinic_id=artist.clinic_id,
            artist_id=artist.pk,
            kind="licence",
            issuer="Leeds City Council",
            expires_on=date(2031, 3, 31),
            checked_on=date(2026, 1, 5),
        )
        old.get_model("clinics", "CredentialEmail").objects.create(
            credential_id=credential.pk,
            kind="expiring",
            expires_on=date(2031, 3, 31),
            to_email="team@hairline.example",
        )
        # A staff member allowed to change applications, and the admin's record of a change.
        OldContentType = old.get_model("contenttypes", "ContentType")
        old_type = OldContentType.objects.get(app_label="clinics", model="clinicapplication")
        staff = User.objects.create_user("sam", password="not-used", is_staff=True)
        old.get_model("auth", "Permission").objects.get(
            content_type=old_type, codename="change_clinicapplication"
        ).user_set.add(staff.pk)
        old.get_model("admin", "LogEntry").objects.create(
            user_id=staff.pk,
            content_type_id=old_type.pk,
            object_id=str(application.pk),
            object_repr="Application from Inkline Leeds",
            action_flag=CHANGE,
            change_message="[]",
        )
        assert {"clinics_clinicapplication", "clinics_credential"} <= _tables()
        yield {"application": application.pk, "credential": credential.pk, "staff": staff.pk}
    finally:
        _migrate(None)
        ContentType.objects.clear_cache()


def test_rows_permissions_and_admin_history_made_on_the_old_layout_survive_the_move(old_layout):
    _migrate(None)
    ContentType.objects.clear_cache()

    application = ClinicApplication.objects.select_related("clinic").get(
        pk=old_layout["application"]
    )
    assert (application.clinic.name, application.contact_email, application.status) == (
        "Inkline Leeds",
        "kim@inkline.example",
        "submitted",
    )
    upload = ApplicationUpload.objects.get(application=application)
    assert (upload.display_name, upload.alt_text) == ("hairline.jpg", "A hairline, healed")
    email = ApplicationEmail.objects.get(application=application)
    assert (email.kind, email.to_email, email.status) == (
        "received",
        "kim@inkline.example",
        "pending",
    )

    credential = Credential.objects.select_related("artist").get(pk=old_layout["credential"])
    assert (credential.label, credential.artist.clinic.name) == ("Licence", "Hairline House")
    assert credential.is_valid_on(date(2031, 3, 31)) and not credential.is_valid_on(
        date(2031, 4, 1)
    )
    reminder = CredentialEmail.objects.get(credential=credential)
    assert (reminder.expires_on, reminder.to_email) == (date(2031, 3, 31), "team@hairline.example")

    tables = _tables()
    assert {"applications_clinicapplication", "credentials_credentialemail"} <= tables
    assert not {t for t in tables if t.startswith(("clinics_clinicapplication", "clinics_cred"))}
    assert not {t for t in tables if t.startswith("clinics_application")}

    # Staff keep their permissions and the admin's history of the moved rows.
    for app_label, models in MOVED.items():
        for model in models:
            assert ContentType.objects.filter(app_label=app_label, model=model).count() == 1
            assert not ContentType.objects.filter(app_label="clinics", model=model).exists()
    staff = User.objects.get(pk=old_layout["staff"])
    assert staff.has_perm("applications.change_clinicapplication")
    assert not Permission.objects.filter(
        content_type__app_label="clinics", codename__contains="credential"
    )

    entry = LogEntry.objects.get(user=staff)
    assert entry.get_edited_object() == ClinicApplication.objects.get(pk=old_layout["application"])
    assert (
        entry.get_admin_url()
        == f"/admin/applications/clinicapplication/{old_layout['application']}/change/"
    )
