from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinic directory"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from .models import Clinic, ClinicPhoto, register_gallery_fingerprints

        register_gallery_fingerprints()
        post_save.connect(_recount_cities, sender=Clinic, dispatch_uid="clinics-recount-save")
        post_delete.connect(_recount_cities, sender=Clinic, dispatch_uid="clinics-recount-del")
        post_delete.connect(
            _choose_cover_again, sender=ClinicPhoto, dispatch_uid="clinics-cover-photo-del"
        )
        # What the profile shows of these rows is stored on the clinic's (refresh_notices).
        for label in ("credentials.Credential", "clinics.ClinicClosure", "clinics.Artist"):
            pre_save.connect(_note_clinic, sender=label, dispatch_uid=f"notices-pre-{label}")
            for signal in (post_save, post_delete):
                signal.connect(_store_notices, sender=label, dispatch_uid=f"notices-{label}")


def _recount_cities(sender, instance, **kwargs):
    from .models import City

    ids = {instance.city_id, getattr(instance, "_loaded_city_id", None)} - {None}
    City.objects.filter(pk__in=ids).refresh_listed_counts()
    instance._loaded_city_id = instance.city_id


def _note_clinic(sender, instance, **kwargs):
    """The clinic a row belonged to before this save: moved, both clinics change."""
    if instance.pk is not None:
        instance._stored_clinic_id = (
            sender.objects.filter(pk=instance.pk).values_list("clinic_id", flat=True).first()
        )


def _store_notices(sender, instance, **kwargs):
    """A credential, closure or artist (a badge names it) changed: store the profile's
    badges and closures again (Clinic.credential_badges, closure_days)."""
    from .models import Clinic

    ids = {instance.clinic_id, getattr(instance, "_stored_clinic_id", None)} - {None}
    Clinic.objects.filter(pk__in=ids).refresh_notices()


def _choose_cover_again(sender, instance, **kwargs):
    """A deleted gallery photo may have been its clinic's cover (ClinicPhoto.save
    handles the other changes)."""
    from .models import Clinic

    Clinic.objects.filter(pk=instance.clinic_id).refresh_covers()
