"""Sample directory data for development, demos and the benchmark.

Every clinic made here is marked `is_sample=True` and says so on its page. The
names, people, texts, phone numbers (fiction ranges) and web addresses (the
reserved .example domain) are invented for this project. City positions and
typical price ranges are public facts.
"""

import functools
import random
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from babel import Locale
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from clinics.models import Artist, City, Clinic, ClinicPhoto, Language, Service, thumbnail_name
from clinics.text import search_text
from common import fingerprints
from common.db import analyze

from . import illustrations, texts
from .images import stored_image

SERVICES = [
    (
        "mens-smp",
        "Men's SMP (shaved look)",
        "Recreates a closely shaved head and a crisp hairline.",
    ),
    ("hairline", "Hairline design", "A soft, age-appropriate front hairline planned with you."),
    (
        "density",
        "Density for longer hair",
        "Pigment between existing hairs so thin areas show less scalp.",
    ),
    ("womens-smp", "Women's SMP", "Density for thinning partings and crowns, keeping your length."),
    (
        "scar-camouflage",
        "Scar camouflage",
        "Blends FUT strip and FUE scars, and scars from injury or surgery.",
    ),
    ("alopecia", "Alopecia coverage", "Treatment for patchy or total hair loss from alopecia."),
    ("touch-up", "Touch-ups and refresh", "Top-up sessions for an older treatment that has faded."),
    (
        "correction",
        "Correction of earlier SMP",
        "Lightening or reworking dots that have blurred or darkened.",
    ),
]


# The services in German, Spanish and French (sample content, written for this project).
SERVICE_TRANSLATIONS = {
    "mens-smp": {
        "de": (
            "SMP für Männer (rasierter Look)",
            "Bildet einen kurz rasierten Kopf und eine klare Haarlinie nach.",
        ),
        "es": (
            "SMP para hombres (efecto rapado)",
            "Recrea una cabeza rapada al ras y una línea frontal definida.",
        ),
        "fr": (
            "SMP homme (effet rasé)",
            "Recrée une tête rasée de près et une ligne frontale nette.",
        ),
    },
    "hairline": {
        "de": (
            "Haarlinien-Design",
            "Eine weiche, altersgerechte vordere Haarlinie, gemeinsam mit Ihnen geplant.",
        ),
        "es": (
            "Diseño de la línea frontal",
            "Una línea frontal suave y acorde con su edad, planificada con usted.",
        ),
        "fr": (
            "Dessin de la ligne frontale",
            "Une ligne frontale douce, adaptée à votre âge, dessinée avec vous.",
        ),
    },
    "density": {
        "de": (
            "Verdichtung bei längerem Haar",
            "Pigmente zwischen den vorhandenen Haaren, damit lichte Stellen weniger Kopfhaut "
            "zeigen.",
        ),
        "es": (
            "Densidad para pelo largo",
            "Pigmento entre el pelo existente para que las zonas finas muestren menos cuero "
            "cabelludo.",
        ),
        "fr": (
            "Densité pour cheveux longs",
            "Du pigment entre les cheveux existants pour que les zones clairsemées laissent "
            "moins voir le cuir chevelu.",
        ),
    },
    "womens-smp": {
        "de": (
            "SMP für Frauen",
            "Mehr Dichte für lichte Scheitel und Oberköpfe, ohne dass Sie Ihre Haare kürzen "
            "müssen.",
        ),
        "es": (
            "SMP para mujeres",
            "Densidad para rayas y coronillas con poco pelo, sin renunciar a su largo.",
        ),
        "fr": (
            "SMP femme",
            "De la densité pour les raies et les sommets clairsemés, en gardant votre longueur.",
        ),
    },
    "scar-camouflage": {
        "de": (
            "Narbenkaschierung",
            "Kaschiert Narben von FUT-Streifen und FUE sowie Narben nach Verletzungen oder "
            "Operationen.",
        ),
        "es": (
            "Camuflaje de cicatrices",
            "Disimula cicatrices de tira FUT y de FUE, y cicatrices de lesiones u operaciones.",
        ),
        "fr": (
            "Camouflage de cicatrices",
            "Estompe les cicatrices de bandelette FUT et de FUE, et celles laissées par une "
            "blessure ou une opération.",
        ),
    },
    "alopecia": {
        "de": (
            "Behandlung bei Alopezie",
            "Behandlung bei fleckigem oder vollständigem Haarausfall durch Alopezie.",
        ),
        "es": (
            "Cobertura de alopecia",
            "Tratamiento para la pérdida de pelo por zonas o total causada por la alopecia.",
        ),
        "fr": (
            "Couverture de l’alopécie",
            "Traitement de la perte de cheveux en plaques ou totale due à l’alopécie.",
        ),
    },
    "touch-up": {
        "de": ("Auffrischung", "Auffrischungssitzungen für eine ältere, verblasste Behandlung."),
        "es": (
            "Retoques y renovación",
            "Sesiones de retoque para un tratamiento antiguo que se ha aclarado.",
        ),
        "fr": (
            "Retouches et ravivage",
            "Des séances de retouche pour un traitement ancien qui a pâli.",
        ),
    },
    "correction": {
        "de": (
            "Korrektur früherer SMP",
            "Aufhellen oder Überarbeiten von Punkten, die verlaufen oder zu dunkel geworden sind.",
        ),
        "es": (
            "Corrección de SMP anterior",
            "Aclarar o rehacer puntos que se han difuminado u oscurecido.",
        ),
        "fr": (
            "Correction d’une ancienne SMP",
            "Éclaircir ou reprendre des points qui ont bavé ou foncé.",
        ),
    },
}


@dataclass(frozen=True)
class CountryPlan:
    code: str
    currency: str
    price_low: tuple[int, int]
    price_high: tuple[int, int]
    phone_format: str  # the benchmark's towns; sample cities have their own area codes
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]  # artists'
    # name, region, latitude, longitude, number of clinics
    cities: tuple[tuple[str, str, float, float, int], ...]
    # Per city: its area code in a range kept for fiction where the country has one (Ofcom's
    # drama numbers, 555-01xx, ACMA's 5550), else a subscriber number no exchange gives out.
    city_phones: dict[str, str]
    # Surnames a clinic may be named after, none of them an artist's: a "Becker Studio"
    # beside an unrelated artist Becker at another clinic reads as a mistake.
    clinic_surnames: tuple[str, ...]


COUNTRIES = [
    CountryPlan(
        "GB",
        "GBP",
        (1000, 1400),
        (1800, 2600),
        "+44 20 7946 0{n:03d}",
        (
            "Aaron",
            "Priya",
            "Callum",
            "Siobhan",
            "Tomasz",
            "Leah",
            "Marcus",
            "Hannah",
            "Ravi",
            "Jodie",
        ),
        ("Whitfield", "Okafor", "Brennan", "Kaur", "Lowe", "Mistry", "Doyle", "Ashworth", "Pryce"),
        (
            ("London", "England", 51.5074, -0.1278, 9),
            ("Manchester", "England", 53.4808, -2.2426, 5),
            ("Birmingham", "England", 52.4862, -1.8904, 4),
            ("Leeds", "England", 53.8008, -1.5491, 3),
            ("Bristol", "England", 51.4545, -2.5879, 2),
            ("Glasgow", "Scotland", 55.8642, -4.2518, 3),
        ),
        {
            "London": "+44 20 7946 0{n:03d}",
            "Manchester": "+44 161 496 0{n:03d}",
            "Birmingham": "+44 121 496 0{n:03d}",
            "Leeds": "+44 113 496 0{n:03d}",
            "Bristol": "+44 117 496 0{n:03d}",
            "Glasgow": "+44 141 496 0{n:03d}",
        },
        ("Hargreaves", "Penrose", "Calloway"),
    ),
    CountryPlan(
        "US",
        "USD",
        (1800, 2400),
        (3200, 4500),
        "+1 212 555 01{n:02d}",
        (
            "Jordan",
            "Maria",
            "DeShawn",
            "Kelly",
            "Anthony",
            "Grace",
            "Luis",
            "Brianna",
            "Ethan",
            "Naomi",
        ),
        ("Castillo", "Brooks", "Nguyen", "Hollis", "Ramirez", "Carter", "Feldman", "Ortiz", "Wade"),
        (
            ("New York", "New York", 40.7128, -74.0060, 8),
            ("Los Angeles", "California", 34.0522, -118.2437, 5),
            ("Miami", "Florida", 25.7617, -80.1918, 3),
            ("Chicago", "Illinois", 41.8781, -87.6298, 3),
            ("Houston", "Texas", 29.7604, -95.3698, 3),
        ),
        {
            "New York": "+1 212 555 01{n:02d}",
            "Los Angeles": "+1 213 555 01{n:02d}",
            "Miami": "+1 305 555 01{n:02d}",
            "Chicago": "+1 312 555 01{n:02d}",
            "Houston": "+1 713 555 01{n:02d}",
        },
        ("Whitaker", "Delgado", "Sorensen"),
    ),
    CountryPlan(
        "DE",
        "EUR",
        (1200, 1600),
        (2200, 3200),
        "+49 30 0000 {n:03d}",
        ("Jonas", "Lena", "Mehmet", "Katrin", "Lukas", "Sophie", "Felix", "Aylin", "Niklas"),
        ("Becker", "Yilmaz", "Hoffmann", "Krüger", "Schäfer", "Wagner", "Brandt", "Vogel"),
        (
            ("München", "Bayern", 48.1351, 11.5820, 4),
            ("Berlin", "Berlin", 52.5200, 13.4050, 4),
            ("Köln", "Nordrhein-Westfalen", 50.9375, 6.9603, 3),
            ("Hamburg", "Hamburg", 53.5511, 9.9937, 2),
            ("Düsseldorf", "Nordrhein-Westfalen", 51.2277, 6.7735, 2),
        ),
        {
            "München": "+49 89 0000 {n:03d}",
            "Berlin": "+49 30 0000 {n:03d}",
            "Köln": "+49 221 0000 {n:03d}",
            "Hamburg": "+49 40 0000 {n:03d}",
            "Düsseldorf": "+49 211 0000 {n:03d}",
        },
        ("Lindner", "Engel", "Albrecht"),
    ),
    CountryPlan(
        "ES",
        "EUR",
        (900, 1300),
        (1800, 2600),
        "+34 91 000 0{n:03d}",
        ("Javier", "Lucía", "Álvaro", "Marta", "Sergio", "Nuria", "Pablo", "Elena"),
        ("García", "Morales", "Ruiz", "Navarro", "Serrano", "Castaño", "Vidal", "Ibáñez"),
        (
            ("Madrid", "Comunidad de Madrid", 40.4168, -3.7038, 4),
            ("Barcelona", "Cataluña", 41.3874, 2.1686, 3),
            ("Málaga", "Andalucía", 36.7213, -4.4214, 2),
            ("Valencia", "Comunitat Valenciana", 39.4699, -0.3763, 2),
        ),
        {
            "Madrid": "+34 91 000 0{n:03d}",
            "Barcelona": "+34 93 000 0{n:03d}",
            "Málaga": "+34 952 000 {n:03d}",
            "Valencia": "+34 96 000 0{n:03d}",
        },
        ("Aguirre", "Salinas", "Bermejo"),
    ),
    CountryPlan(
        "AU",
        "AUD",
        (2500, 3200),
        (4200, 5800),
        "+61 2 5550 1{n:03d}",
        ("Lachlan", "Chloe", "Mitchell", "Tahlia", "Hamish", "Jess", "Nathan", "Mei"),
        ("O'Brien", "Nguyen", "Fitzgerald", "Patel", "Kowalski", "Harrington", "Tran"),
        (
            ("Sydney", "New South Wales", -33.8688, 151.2093, 4),
            ("Melbourne", "Victoria", -37.8136, 144.9631, 4),
            ("Brisbane", "Queensland", -27.4698, 153.0251, 2),
            ("Perth", "Western Australia", -31.9523, 115.8613, 2),
        ),
        {
            "Sydney": "+61 2 5550 1{n:03d}",
            "Melbourne": "+61 3 5550 1{n:03d}",
            "Brisbane": "+61 7 5550 1{n:03d}",
            "Perth": "+61 8 5550 1{n:03d}",
        },
        ("Kingsley", "Prescott", "Dunmore"),
    ),
    CountryPlan(
        "CA",
        "CAD",
        (2200, 2800),
        (3800, 5200),
        "+1 416 555 01{n:02d}",
        ("Owen", "Amélie", "Harpreet", "Logan", "Zoe", "Mathieu", "Kiran", "Isla"),
        ("Tremblay", "Singh", "MacLeod", "Gagnon", "Chen", "Fraser", "Bouchard"),
        (
            ("Toronto", "Ontario", 43.6532, -79.3832, 4),
            ("Vancouver", "British Columbia", 49.2827, -123.1207, 3),
            ("Montréal", "Québec", 45.5019, -73.5674, 2),
        ),
        {
            "Toronto": "+1 416 555 01{n:02d}",
            "Vancouver": "+1 604 555 01{n:02d}",
            "Montréal": "+1 514 555 01{n:02d}",
        },
        ("Lachance", "Whitmore", "Okada"),
    ),
]

# The gallery's theme follows what the clinic does; the first service that names one wins.
THEME_FOR_SERVICE = {
    "scar-camouflage": "scar",
    "alopecia": "alopecia",
    "hairline": "hairline",
    "mens-smp": "hairline",
    "womens-smp": "crown",
    "density": "crown",
}
STUDIO_VARIANTS = 4
Stage = ClinicPhoto.Stage
# A gallery: one client's stages, then the studio; (stage, the illustration's stage) pairs.
GALLERY_STAGES = (
    (Stage.BEFORE, "before"),
    (Stage.FRESH, "after"),
    (Stage.HEALED, "healed"),
)
# Sample clinics share a pool of drawn pictures, which the copy check would flag: staff
# "cleared" them, and "confirmed consent", because they are sample data.
SAMPLE_CLEARED = "Sample data: sample clinics share the same drawn images on purpose."

# Sample opening hours: the kinds of week small studios keep.
OPENING_HOURS = (
    "Mo-Fr 10:00-18:00; Sa 10:00-14:00",
    "Tu-Fr 09:00-17:00; Sa 09:00-13:00",
    "Mo-Th 11:00-19:00; Fr 10:00-16:00",
    "Mo,We,Fr 09:30-17:30; Sa 10:00-15:00",
    "Mo-Sa 10:00-13:00,14:00-18:00",
)
# Languages a sample clinic may offer besides English, per country.
LOCAL_LANGUAGES = {
    "GB": ("pl", "pa", "ur", "es"),
    "US": ("es", "zh", "vi", "ko"),
    "DE": ("de", "tr", "ru", "pl"),
    "ES": ("es", "ca", "fr", "de"),
    "AU": ("zh", "vi", "el", "it"),
    "CA": ("fr", "pa", "zh", "tl"),
}


def _studio_name(variant: int) -> str:
    return f"demo/illustrations/gallery/studio-{variant}.jpg"


def _draw_gallery() -> None:
    """Every gallery picture a clinic may use (themes × skin tones × stages, and studios),
    drawn once; later runs and `--scale` reuse the stored files and their thumbnails."""
    for theme in illustrations.THEMES:
        for tone, *_ in illustrations.TONES:
            for _, stage in GALLERY_STAGES:
                picture = illustrations.GalleryPicture(theme, stage, tone)
                stored_image(
                    picture.name,
                    partial(_render, illustrations.gallery_svg, picture, size=(800, 600)),
                )
    for variant in range(STUDIO_VARIANTS):
        stored_image(
            _studio_name(variant),
            partial(_render, illustrations.studio_svg, variant, size=(800, 600)),
        )


def _render(draw, *args, size: tuple[int, int]) -> bytes:
    return illustrations.render_jpeg(draw(*args), *size)


def _gallery_plan(theme: str, tone: str, studio: int) -> list[tuple[str, str, str]]:
    """(image name, alt text, stage) for each picture of one clinic's gallery, in order."""
    plan: list[tuple[str, str, str]] = []
    for stage, drawn_stage in GALLERY_STAGES:
        picture = illustrations.GalleryPicture(theme, drawn_stage, tone)
        plan.append((picture.name, picture.alt, stage))
    plan.append((_studio_name(studio), illustrations.STUDIO_ALT, Stage.STUDIO))
    return plan


@functools.cache
def _fingerprint_of(name: str) -> str:
    """A drawn picture's fingerprint, worked out once per process (the drawings never change)."""
    with default_storage.open(name, "rb") as source:
        return fingerprints.fingerprint(source)


def _sample_photo_fields(stage: str, artist, image: str, now) -> dict:
    """What staff would have recorded on a sample photo: the work, consent, the copy check."""
    return {
        "stage": stage,
        "artist": artist if stage != Stage.STUDIO else None,
        "months_healed": 8 if stage == Stage.HEALED else None,
        "fingerprint": _fingerprint_of(image),
        "consent_confirmed_at": now,
        "match_found_at": now,
        "match_details": SAMPLE_CLEARED,
        "match_cleared_at": now,
    }


def _set_gallery(clinic: Clinic, plan: list[tuple[str, str, str]], now) -> None:
    """Make the clinic's gallery the planned one, replacing an older drawing's rows."""
    artist = clinic.artists.order_by("order").first()
    current = [(p.image.name, p.alt_text, p.stage) for p in clinic.photos.all()]
    if current == plan:
        for photo in clinic.photos.filter(thumbnail=""):
            photo.save()  # photos loaded before thumbnails existed get one
        for photo in clinic.photos.filter(fingerprint=""):
            # Loaded before the copy check existed: recorded as staff would have.
            fields = _sample_photo_fields(photo.stage, artist, photo.image.name, now)
            ClinicPhoto.objects.filter(pk=photo.pk).update(**fields)
        Clinic.objects.filter(pk=clinic.pk).refresh_covers()
        return
    clinic.photos.all().delete()
    for order, (image, alt_text, stage) in enumerate(plan):
        ClinicPhoto.objects.create(
            clinic=clinic,
            image=image,
            alt_text=alt_text,
            order=order,
            **_sample_photo_fields(stage, artist, image, now),
        )


def _portrait(rng: random.Random, used: set[str]) -> str:
    """A drawn portrait no other artist in the directory has."""
    for _ in range(100):
        portrait = illustrations.Portrait.draw(rng)
        if portrait.key not in used:
            used.add(portrait.key)
            return stored_image(
                portrait.name, partial(illustrations.render_jpeg, portrait.svg(), 192, 192)
            )
    raise ValueError("could not draw a distinct portrait")


def _clinic_name(rng: random.Random, plan: CountryPlan, used: set[str]) -> str:
    """A name no other sample clinic has: a word and a kind, now and then a surname."""
    while True:
        if rng.random() < 0.2:
            name = f"{rng.choice(plan.clinic_surnames)} {rng.choice(texts.NAME_KINDS)}"
        else:
            name = f"{rng.choice(texts.NAME_WORDS)} {rng.choice(texts.NAME_KINDS)}"
        if name not in used:
            used.add(name)
            return name


def load_languages() -> dict[str, Language]:
    """The languages sample clinics speak (a migration adds them; a flushed database not)."""
    english = Locale("en")
    codes = {"en", *(c for codes in LOCAL_LANGUAGES.values() for c in codes), "fr", "de"}
    for code in sorted(codes):
        Language.objects.get_or_create(code=code, defaults={"name": english.languages[code]})
    return {lang.code: lang for lang in Language.objects.filter(code__in=codes)}


def load_services() -> dict[str, Service]:
    services = {}
    for order, (slug, name, description) in enumerate(SERVICES):
        translations = {
            language: {"name": local_name, "description": local_description}
            for language, (local_name, local_description) in SERVICE_TRANSLATIONS[slug].items()
        }
        services[slug], _ = Service.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "translations": translations,
            },
        )
    return services


def _status_for(index: int) -> str:
    if index % 13 == 5:
        return Clinic.Status.PENDING
    if index % 17 == 9:
        return Clinic.Status.SUSPENDED
    return Clinic.Status.APPROVED


# The language some sample clinics also wrote their texts in: Germany's, Spain's and
# Montréal's (the rest of the directory writes English only).
LOCAL_TEXT_LANGUAGE = {"DE": "de", "ES": "es", "Montréal": "fr"}


def _local_texts(country: str, city_name: str, n: int, name: str) -> dict:
    language = LOCAL_TEXT_LANGUAGE.get(city_name) or LOCAL_TEXT_LANGUAGE.get(country)
    if language is None:
        return {"summary_translations": {}, "description_translations": {}}
    summary, description = texts.clinic_local_texts(language, n, name, city_name)
    return {
        "summary_translations": {language: summary},
        "description_translations": {language: description},
    }


@transaction.atomic
def load_directory(seed: int = 2026) -> dict[str, int]:
    """Create or update the sample directory. Safe to run any number of times: every
    choice comes from generators seeded the same way each run, so reruns stay in step."""
    rng = random.Random(seed)
    services = load_services()
    service_list = list(services.values())
    languages = load_languages()
    now = timezone.now()
    _draw_gallery()
    summaries, descriptions, bios = (texts.Parts(random.Random(f"{seed}-{n}")) for n in range(3))
    clinic_names: set[str] = set()
    portraits: set[str] = set()
    portrait_rng = random.Random(f"{seed}-portraits")

    counts = {"cities": 0, "clinics": 0, "artists": 0, "photos": 0}
    loaded: list[int] = []
    clinic_index = 0
    for plan in COUNTRIES:
        artist_names: set[str] = set()
        for city_name, region, lat, lng, clinic_count in plan.cities:
            city, _ = City.objects.update_or_create(
                country=plan.code,
                slug=slugify(city_name),
                defaults={"name": city_name, "region": region, "latitude": lat, "longitude": lng},
            )
            counts["cities"] += 1
            for _ in range(clinic_count):
                clinic_index += 1
                name = _clinic_name(rng, plan, clinic_names)
                low = rng.randrange(*plan.price_low, 50)
                high = rng.randrange(*plan.price_high, 50)
                status = _status_for(clinic_index)
                slug = slugify(name)
                offered = rng.sample(service_list, rng.randint(2, 5))
                slugs = [service.slug for service in offered]
                clinic, _ = Clinic.objects.update_or_create(
                    city=city,
                    slug=slug,
                    defaults={
                        "name": name,
                        "status": status,
                        "is_sample": True,
                        "address": f"{rng.randint(2, 240)} Sample Street",
                        "postcode": "",
                        "latitude": lat + rng.uniform(-0.04, 0.04),
                        "longitude": lng + rng.uniform(-0.06, 0.06),
                        "phone": plan.city_phones[city_name].format(n=clinic_index % 100),
                        "website": f"https://{slug}-{city.slug}.example",
                        "instagram": f"{slug.replace('-', '')[:20]}_{city.slug[:8]}",
                        "quote_email": f"{slug}.{city.slug}@clinics.example",
                        "summary": texts.clinic_summary(summaries, slugs),
                        "description": texts.clinic_description(descriptions, name, slugs),
                        **_local_texts(plan.code, city_name, clinic_index, name),
                        "price_from": low,
                        "price_to": high,
                        "currency": plan.currency,
                        "established_year": rng.randint(2010, 2023),
                        "accepts_quotes": clinic_index % 11 != 3,
                        "approved_at": now if status == Clinic.Status.APPROVED else None,
                        "reviewed_at": now - timedelta(days=rng.randint(1, 60)),
                    },
                )
                clinic.services.set(offered)
                clinic.languages.set(
                    [languages["en"], *(languages[c] for c in _local_languages(rng, plan.code))]
                )
                _sample_profile(rng, clinic)
                counts["clinics"] += 1

                for order in range(1 + clinic_index % 3):
                    first = rng.choice(plan.first_names)
                    artist_name = f"{first} {rng.choice(plan.last_names)}"
                    while artist_name in artist_names:
                        first = rng.choice(plan.first_names)
                        artist_name = f"{first} {rng.choice(plan.last_names)}"
                    artist_names.add(artist_name)
                    Artist.objects.update_or_create(
                        clinic=clinic,
                        order=order,
                        defaults={
                            "name": artist_name,
                            "bio": texts.artist_bio(bios, first, slugs),
                            "since_year": rng.randint(2010, 2022),
                            "portrait": _portrait(portrait_rng, portraits),
                        },
                    )
                    counts["artists"] += 1

                theme = next(
                    (THEME_FOR_SERVICE[s] for s in slugs if s in THEME_FOR_SERVICE), "crown"
                )
                tone = illustrations.TONES[rng.randrange(len(illustrations.TONES))][0]
                gallery = _gallery_plan(theme, tone, rng.randrange(STUDIO_VARIANTS))
                _set_gallery(clinic, gallery, now)
                counts["photos"] += clinic.photos.count()
                loaded.append(clinic.pk)
    # Sample clinics an earlier version of this loader made under other names go, so a
    # developer's database matches a fresh one (quotes keep their rows: SET_NULL).
    Clinic.objects.filter(is_sample=True).exclude(pk__in=loaded).exclude(
        city__slug__startswith=SCALE_PREFIX
    ).delete()
    return counts


def _local_languages(rng: random.Random, country: str) -> list[str]:
    return rng.sample(LOCAL_LANGUAGES[country], rng.randint(0, 2))


def _sample_profile(rng: random.Random, clinic: Clinic) -> None:
    """Hours, consultations and sample reply figures (quotes.stats recomputes real ones)."""
    fields = {
        "opening_hours": rng.choice(OPENING_HOURS),
        "consults_in_person": True,
        "consults_online": rng.random() < 0.5,
    }
    if rng.random() < 0.6:
        fields["reply_rate"] = round(rng.uniform(0.6, 1.0), 2)
        fields["median_reply_hours"] = round(rng.choice([1.5, 3, 6, 12, 20, 30, 50]), 1)
    Clinic.objects.filter(pk=clinic.pk).update(**fields)
    Clinic.objects.filter(pk=clinic.pk).refresh_recommended()  # reply speed counts in it


SCALE_PREFIX = "scale-"  # slug prefix of the cities that `load_demo --scale` adds
BIG_CITY_CLINICS = 100


def load_scale(clinic_count: int, seed: int = 7) -> dict[str, int]:
    """Add `clinic_count` sample clinics for benchmarks: one city with 100, the rest five a city.

    Bulk inserts, so 10,000 clinics take seconds. Running it again with the same count
    changes nothing; with another count the scale data is replaced.
    """
    scale_cities = City.objects.filter(slug__startswith=SCALE_PREFIX)
    existing = Clinic.objects.filter(city__in=scale_cities).count()
    if existing == clinic_count:
        return {"cities": scale_cities.count(), "clinics": existing}
    with transaction.atomic():
        Clinic.objects.filter(city__in=scale_cities).delete()
        scale_cities.delete()
        if clinic_count <= 0:
            return {"cities": 0, "clinics": 0}
        return _create_scale(clinic_count, seed)


def _create_scale(clinic_count: int, seed: int) -> dict[str, int]:
    # Each city draws from a generator of its own (the seed and the city's number): a city
    # is the same at every scale. Samplebury's hundred clinics, which the bench drives at
    # demo size and at 10,000, are then the same clinics with the same services and
    # languages, so both sizes measure one page (a filter matched none of them at one
    # size and three at the other).
    services = list(load_services().values())
    plans = {plan.code: plan for plan in COUNTRIES}
    sizes = [min(BIG_CITY_CLINICS, clinic_count)]
    remaining = clinic_count - sizes[0]
    sizes += [5] * (remaining // 5) + ([remaining % 5] if remaining % 5 else [])

    cities = []
    draws = []
    for n in range(len(sizes)):
        rng = random.Random(f"{seed}:{n}")
        draws.append(rng)
        plan = COUNTRIES[n % len(COUNTRIES)]
        _, region, lat, lng, _ = plan.cities[n % len(plan.cities)]
        name = "Samplebury" if n == 0 else f"Sample Town {n:04d}"
        cities.append(
            City(
                name=name,
                slug=f"{SCALE_PREFIX}{slugify(name)}",
                country=plan.code,
                region=region,
                latitude=lat + rng.uniform(-2, 2),
                longitude=lng + rng.uniform(-2, 2),
                search_name=search_text(name),
            )
        )
    City.objects.bulk_create(cities)
    cities = list(City.objects.filter(slug__startswith=SCALE_PREFIX).order_by("pk"))

    now = timezone.now()
    clinics = []
    # Each clinic's services and languages, drawn with it: (services, language codes).
    tags: list[tuple[list, tuple[str, ...]]] = []
    for city, size, rng in zip(cities, sizes, draws, strict=True):
        plan = plans[city.country.code]
        for n in range(size):
            name = f"{rng.choice(texts.NAME_WORDS)} {rng.choice(texts.NAME_KINDS)} {n + 1}"
            slug = slugify(name)
            clinics.append(
                Clinic(
                    name=name,
                    slug=slug,
                    city=city,
                    status=Clinic.Status.APPROVED,
                    is_sample=True,
                    address=f"{rng.randint(2, 240)} Sample Street",
                    latitude=city.latitude + rng.uniform(-0.05, 0.05),
                    longitude=city.longitude + rng.uniform(-0.05, 0.05),
                    phone=plan.phone_format.format(n=n % 100),
                    website=f"https://{slug}-{city.slug}.example",
                    quote_email=f"{slug}.{city.slug}@clinics.example",
                    summary=f"Sample listing {n + 1} in {city.name}, made for benchmarks.",
                    description="A sample clinic made for benchmarks: it is not a real business.",
                    price_from=rng.randrange(*plan.price_low, 50),
                    price_to=rng.randrange(*plan.price_high, 50),
                    currency=plan.currency,
                    established_year=rng.randint(2010, 2023),
                    approved_at=now - timedelta(days=rng.randint(0, 900)),
                    reviewed_at=now,
                    search_name=search_text(name),
                    opening_hours=rng.choice(OPENING_HOURS),
                    consults_online=rng.random() < 0.5,
                    reply_rate=round(rng.uniform(0.6, 1.0), 2) if n % 3 else None,
                    median_reply_hours=rng.choice([2.0, 6.0, 12.0, 30.0]) if n % 3 else None,
                )
            )
            tags.append(
                (rng.sample(services, 3), ("en", *rng.sample(("es", "pl", "fr", "de"), n % 3)))
            )
    Clinic.objects.bulk_create(clinics, batch_size=1000)
    City.objects.filter(slug__startswith=SCALE_PREFIX).refresh_listed_counts()  # no signals
    # In the order they were made (one INSERT after another: ids ascending).
    clinic_ids = list(
        Clinic.objects.filter(city__slug__startswith=SCALE_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    Through = Clinic.services.through
    Through.objects.bulk_create(
        [
            Through(clinic_id=pk, service_id=service.pk)
            for pk, (chosen, _codes) in zip(clinic_ids, tags, strict=True)
            for service in chosen
        ],
        batch_size=5000,
    )
    languages = load_languages()
    LanguageThrough = Clinic.languages.through
    LanguageThrough.objects.bulk_create(
        [
            LanguageThrough(clinic_id=pk, language_id=languages[code].pk)
            for pk, (_chosen, codes) in zip(clinic_ids, tags, strict=True)
            for code in codes
        ],
        batch_size=5000,
    )
    Artist.objects.bulk_create(
        [
            Artist(
                clinic_id=pk,
                name=f"Sample Artist {pk}-{order}",
                bio=f"Sample artist {pk}-{order}, drawn up for the benchmark's extra clinics.",
                since_year=2015,
                order=order,
            )
            for pk in clinic_ids
            for order in range(2)
        ],
        batch_size=5000,
    )
    themes, tones = illustrations.THEMES, illustrations.TONES
    ClinicPhoto.objects.bulk_create(
        [
            ClinicPhoto(
                clinic_id=pk,
                image=image,
                width=800,
                height=600,
                # The drawn pictures' thumbnails exist already: load_directory made them.
                thumbnail=thumbnail_name(image),
                thumb_width=400,
                thumb_height=300,
                alt_text=alt_text,
                order=order,
                **_sample_photo_fields(stage, None, image, now),
            )
            for pk in clinic_ids
            for order, (image, alt_text, stage) in enumerate(
                _gallery_plan(
                    themes[pk % len(themes)], tones[pk % len(tones)][0], pk % STUDIO_VARIANTS
                )
            )
        ],
        batch_size=5000,
    )
    Clinic.objects.filter(pk__in=clinic_ids).refresh_covers()  # bulk_create saves none
    analyze(City, Clinic, Through, LanguageThrough, Artist, ClinicPhoto)
    return {"cities": len(cities), "clinics": len(clinic_ids)}
