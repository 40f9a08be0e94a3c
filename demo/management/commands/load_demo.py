from django.core.management.base import BaseCommand

from clinics.models import City
from demo.articles import load_articles, load_page_translations, load_scale_articles
from demo.directory import load_directory, load_scale
from demo.training import load_training
from demo.trust import load_trust
from places.gazetteer import load as load_gazetteer


class Command(BaseCommand):
    help = (
        "Create or refresh the sample data (clinics, artists, galleries, articles, FAQ, "
        "training events, credentials, reviews). "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N sample clinics for benchmarks (one city of 100, the rest five "
            "a city) and N/20 sample articles. 0 removes them.",
        )
        parser.add_argument(
            "--skip-gazetteer",
            action="store_true",
            help="Don't load the gazetteer (about 20 s the first time); cities still link to "
            "the places already loaded.",
        )

    def handle(self, *args, scale: int, skip_gazetteer: bool, **options):
        # Once per dataset; cities saved next link themselves.
        gazetteer = {"skipped": True} if skip_gazetteer else load_gazetteer()
        if not gazetteer["skipped"]:
            self.stdout.write(self.style.SUCCESS(f"Gazetteer: {gazetteer['places']} places."))
        counts = load_directory()
        City.objects.all().link_places()  # cities made before the gazetteer was loaded
        self.stdout.write(
            self.style.SUCCESS(
                "Sample directory ready: {cities} cities, {clinics} clinics, {artists} artists, "
                "{photos} gallery photos.".format(**counts)
            )
        )
        article_counts = load_articles()
        self.stdout.write(
            self.style.SUCCESS(
                "Sample articles ready: {articles} articles in {categories} categories, "
                "{faq_entries} FAQ entries.".format(**article_counts)
            )
        )
        pages = load_page_translations()
        self.stdout.write(
            self.style.SUCCESS(f"Sample translations of the site pages: {pages} pages filled in.")
        )
        training = load_training()
        self.stdout.write(
            self.style.SUCCESS(
                "Sample training ready: {events} events ({past} past), {classes} classes.".format(
                    **training
                )
            )
        )
        trust = load_trust()
        self.stdout.write(
            self.style.SUCCESS(
                "Sample trust data ready: {credentials} checked credentials, {reviews} "
                "reviews from sample clients.".format(**trust)
            )
        )
        scaled = load_scale(scale)
        articles = load_scale_articles(scale // 20)
        if scale:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Benchmark data: {scaled['clinics']} more clinics in {scaled['cities']} "
                    f"cities, {articles} more articles."
                )
            )
