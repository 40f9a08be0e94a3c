from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from clinics.models import Artist
        from clinics.own_pages import note_stored_clinic

        from . import emails  # noqa: F401  (registers the reminder email)
        from .models import Credential, CredentialRenewal

        # The profile's credential badges are stored on the clinic's row (refresh_badges):
        # again on each save and delete of a credential, and of an artist a badge names.
        pre_save.connect(note_stored_clinic, sender=Credential, dispatch_uid="badges-pre")
        for sender in (Credential, Artist):
            for signal in (post_save, post_delete):
                signal.connect(_store_badges, sender=sender, dispatch_uid=f"badges-{sender}")
        post_delete.connect(
            _delete_renewal_file, sender=CredentialRenewal, dispatch_uid="renewal-file"
        )


def _store_badges(sender, instance, **kwargs):
    from clinics.own_pages import clinics_changed

    from .models import refresh_badges

    refresh_badges(clinics_changed(instance))


def _delete_renewal_file(sender, instance, **kwargs):
    """A renewal's private document leaves storage with its row, once that is committed."""
    from django.db import transaction

    document = instance.document
    if document:
        name, storage = document.name, document.storage
        transaction.on_commit(lambda: storage.delete(name))
