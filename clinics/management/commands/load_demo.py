from django.core.management.base import BaseCommand

from clinics.demo import load_directory


class Command(BaseCommand):
    help = "Create or refresh the sample data (clinics, artists, galleries). Safe to run again."

    def handle(self, *args, **options):
        counts = load_directory()
        self.stdout.write(
            self.style.SUCCESS(
                "Sample directory ready: {cities} cities, {clinics} clinics, {artists} artists, "
                "{photos} gallery photos.".format(**counts)
            )
        )
