import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category, FaqEntry
from clinics.models import Artist, City, Clinic, ClinicPhoto, Service
from tests import images


def jpeg_bytes(size=(640, 480), color=(120, 90, 70)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Testville {n}")
    slug = factory.Sequence(lambda n: f"testville-{n}")
    country = "GB"
    region = "England"
    latitude = 51.5
    longitude = -0.12


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        skip_postgeneration_save = True  # the hook stores what it changes itself

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    city = factory.SubFactory(CityFactory)
    status = Clinic.Status.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
    reviewed_at = factory.LazyFunction(timezone.now)
    summary = "Natural hairlines and scar camouflage."
    phone = "+44 20 7946 0000"
    website = "https://clinic.example"
    quote_email = factory.Sequence(lambda n: f"clinic{n}@clinics.example")
    price_from = 1200
    price_to = 2200
    currency = "GBP"

    @factory.post_generation
    def listing(clinic, create, extracted, **kwargs):
        """What a listing needs besides approval (`clinics.models.listed_q`): an artist and
        a photo the public may see. `ClinicFactory(listing=False)` makes a bare clinic."""
        if not create or extracted is False:
            return
        Artist.objects.create(clinic=clinic, name=f"{clinic.name} Artist", bio="Hairlines.")
        ClinicPhoto.objects.create(
            clinic=clinic,
            image=_studio_image(),
            alt_text="The studio's treatment room",
            stage=ClinicPhoto.Stage.STUDIO,
            order=99,
            # As if compared with the site's photos already (a real fingerprint is
            # FINGERPRINT_LENGTH long: this one is compared with nothing).
            fingerprint="factory",
            consent_confirmed_at=timezone.now(),
        )
        # What the photo and the artist stored on the row (its city stays loaded).
        clinic.refresh_from_db(fields=STORED_BY_REFRESH)


# What ClinicQuerySet.refresh_covers stores on a clinic's row.
STORED_BY_REFRESH = [
    "cover_name",
    "cover_width",
    "cover_height",
    "has_artist",
    "has_public_photo",
    "recommended_score",
]


STUDIO_IMAGE = "clinics/factory-studio.jpg"


def _studio_image() -> str:
    """One stored picture every factory clinic's studio photo shares (per test's media)."""
    if not default_storage.exists(STUDIO_IMAGE):
        default_storage.save(STUDIO_IMAGE, ContentFile(jpeg_bytes((400, 300), (90, 90, 90))))
    return STUDIO_IMAGE


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Artist {n}")
    bio = "Hairline specialist."
    since_year = 2015


class ClinicPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicPhoto

    clinic = factory.SubFactory(ClinicFactory)
    # A different photo-like picture each time: flat colours would all look like copies.
    image = factory.Sequence(
        lambda n: ContentFile(images.photo_jpeg(1000 + n, size=(640, 480)), name="photo.jpg")
    )
    alt_text = "A hairline straight after a session, side view"
    stage = ClinicPhoto.Stage.FRESH
    # What staff's "confirm consent" action records: the photo is public.
    consent_confirmed_at = factory.LazyFunction(timezone.now)


ARTICLE_BODY = """An introduction to the topic.

## What it is

Tiny dots of pigment that look like closely cut hair.

## Who it suits

People with thinning hair, scars or alopecia.

## How long it lasts

Several years, with a touch-up now and then.
"""


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    category = factory.SubFactory(CategoryFactory)
    summary = "What scalp micropigmentation is and who it suits."
    body = ARTICLE_BODY
    author_name = "Test Editor"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
        )
        with_hero = factory.Trait(
            hero_image=factory.LazyFunction(
                lambda: ContentFile(jpeg_bytes((1200, 630)), name="hero.jpg")
            ),
            hero_alt="A drawn scalp covered in fine dots",
        )


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Question number {n}?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    answer = "A short **answer**."
    category = factory.SubFactory(CategoryFactory)
    order = factory.Sequence(lambda n: n)
