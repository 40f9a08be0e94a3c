from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Listing applications"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import emails  # noqa: F401  (registers the application emails)
        from .models import ApplicationUpload

        post_delete.connect(
            _delete_upload_file, sender=ApplicationUpload, dispatch_uid="applications-upload-file"
        )


def _delete_upload_file(sender, instance, **kwargs):
    """An applicant's photo as sent leaves storage with its row, once that is committed."""
    from django.core.files.storage import storages
    from django.db import transaction

    from .models import UPLOAD_STORAGE

    name = instance.file_name
    if name and not instance.refused:
        transaction.on_commit(lambda: storages[UPLOAD_STORAGE].delete(name))
