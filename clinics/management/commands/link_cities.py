from django.core.management.base import BaseCommand

from clinics.models import City
from common.page_cache import content_changed


class Command(BaseCommand):
    help = (
        "Link every city to its gazetteer entry (same name or alternate name, same country, "
        "within 50 km). Run after load_gazetteer; cities saved later link themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--relink", action="store_true", help="look every city up again")

    def handle(self, *args, relink: bool, **options):
        if relink:
            City.objects.update(place=None)
        linked = City.objects.all().link_places()
        missing = list(City.objects.filter(place__isnull=True).values_list("name", flat=True))
        content_changed()  # updates send no signals: tell the page cache ourselves
        self.stdout.write(self.style.SUCCESS(f"Linked {linked} cities to the gazetteer."))
        if missing:
            shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
            self.stdout.write(f"{len(missing)} cities have no gazetteer entry: {shown}")
