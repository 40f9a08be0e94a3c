from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinic directory"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from .models import (
            Artist,
            Clinic,
            ClinicClosure,
            ClinicPhoto,
            register_gallery_fingerprints,
        )

        register_gallery_fingerprints()
        # Profiles and city pages are cached as their own pages (clinics/own_pages.py).
        from common.page_cache import set_owned_pages

        from .own_pages import OWN_PAGES, note_address, note_stored_clinic

        set_owned_pages(OWN_PAGES)
        pre_save.connect(note_address, sender=Clinic, dispatch_uid="clinics-address-pre")
        pre_save.connect(note_stored_clinic, sender=ClinicPhoto, dispatch_uid="photos-pre")
        post_save.connect(_recount_cities, sender=Clinic, dispatch_uid="clinics-recount-save")
        post_delete.connect(_recount_cities, sender=Clinic, dispatch_uid="clinics-recount-del")
        post_delete.connect(
            _choose_cover_again, sender=ClinicPhoto, dispatch_uid="clinics-cover-photo-del"
        )
        # The profile's closures are stored on the clinic's row (refresh_closures); a
        # closure moved to another clinic changes both.
        pre_save.connect(note_stored_clinic, sender=ClinicClosure, dispatch_uid="closures-pre")
        for signal in (post_save, post_delete):
            signal.connect(_store_closures, sender=ClinicClosure, dispatch_uid="closures")
        # A listing needs an artist (`listed_q`): stored on the clinic's row with its
        # cover, again on each save and delete of an artist (of both clinics, if moved).
        pre_save.connect(note_stored_clinic, sender=Artist, dispatch_uid="artists-pre")
        for signal in (post_save, post_delete):
            signal.connect(_store_artists, sender=Artist, dispatch_uid="artists-listing")


def _recount_cities(sender, instance, **kwargs):
    from .models import City

    ids = {instance.city_id, getattr(instance, "_loaded_city_id", None)} - {None}
    City.objects.filter(pk__in=ids).refresh_listed_counts()
    instance._loaded_city_id = instance.city_id
    instance._loaded_slug = instance.slug


def _store_closures(sender, instance, **kwargs):
    from .models import Clinic
    from .own_pages import clinics_changed

    Clinic.objects.filter(pk__in=clinics_changed(instance)).refresh_closures()


def _store_artists(sender, instance, **kwargs):
    from .models import Clinic
    from .own_pages import clinics_changed

    Clinic.objects.filter(pk__in=clinics_changed(instance)).refresh_covers()


def _choose_cover_again(sender, instance, **kwargs):
    """A deleted gallery photo may have been its clinic's cover (ClinicPhoto.save
    handles the other changes)."""
    from .models import Clinic

    Clinic.objects.filter(pk=instance.clinic_id).refresh_covers()
