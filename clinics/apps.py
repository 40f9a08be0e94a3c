from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinic directory"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import emails  # noqa: F401  (registers the application emails)
        from .models import ApplicationUpload, Clinic, ClinicPhoto, register_gallery_fingerprints

        register_gallery_fingerprints()

        post_delete.connect(
            _delete_upload_file, sender=ApplicationUpload, dispatch_uid="clinics-upload-file"
        )
        post_save.connect(_recount_cities, sender=Clinic, dispatch_uid="clinics-recount-save")
        post_delete.connect(_recount_cities, sender=Clinic, dispatch_uid="clinics-recount-del")
        post_delete.connect(
            _choose_cover_again, sender=ClinicPhoto, dispatch_uid="clinics-cover-photo-del"
        )


def _recount_cities(sender, instance, **kwargs):
    from .models import City

    ids = {instance.city_id, getattr(instance, "_loaded_city_id", None)} - {None}
    City.objects.filter(pk__in=ids).refresh_listed_counts()
    instance._loaded_city_id = instance.city_id


def _choose_cover_again(sender, instance, **kwargs):
    """A deleted gallery photo may have been its clinic's cover (ClinicPhoto.save
    handles the other changes)."""
    from .models import Clinic

    Clinic.objects.filter(pk=instance.clinic_id).refresh_covers()


def _delete_upload_file(sender, instance, **kwargs):
    """An applicant's photo as sent leaves storage with its row, once that is committed."""
    from django.core.files.storage import storages
    from django.db import transaction

    from .models import UPLOAD_STORAGE

    name = instance.file_name
    if name and not instance.refused:
        transaction.on_commit(lambda: storages[UPLOAD_STORAGE].delete(name))
