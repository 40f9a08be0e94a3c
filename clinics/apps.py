from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinic directory"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Clinic, ClinicPhoto, register_gallery_fingerprints

        register_gallery_fingerprints()
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
