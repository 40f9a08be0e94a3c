"""Sample directory data for development, demos and the benchmark.

Every clinic made here is marked `is_sample=True` and says so on its page. The
names, people, texts, phone numbers (fiction ranges) and web addresses (the
reserved .example domain) are invented for this project. City positions and
typical price ranges are public facts.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from clinics.models import Artist, City, Clinic, ClinicPhoto, Service, thumbnail_name
from clinics.text import fold
from smp_site import fingerprints

from .images import dot, jpeg, points_in_disc, stored_image

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


@dataclass(frozen=True)
class CountryPlan:
    code: str
    currency: str
    price_low: tuple[int, int]
    price_high: tuple[int, int]
    phone_format: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    # name, region, latitude, longitude, number of clinics
    cities: tuple[tuple[str, str, float, float, int], ...]


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
    ),
]

NAME_FIRST = (
    "Northline",
    "Fine Point",
    "True Line",
    "Stipple",
    "Clearview",
    "Crownwork",
    "Shadowline",
    "Keystone",
    "Harbour",
    "Summit",
    "Ironwood",
    "Silverdot",
    "Granite",
    "Foundry",
    "Meridian",
    "Lantern",
    "Bluestone",
    "Oakridge",
    "Driftwood",
    "Compass",
)
NAME_SECOND = (
    "Scalp Studio",
    "SMP Clinic",
    "Scalp Clinic",
    "Micro Scalp",
    "Hair Tattoo Studio",
    "SMP Lab",
)

SUMMARIES = (
    "A small studio focused on natural hairlines and subtle density work.",
    "Specialists in scar camouflage and density for clients who keep their hair longer.",
    "Shaved-look SMP with an unhurried consultation and written aftercare.",
    "Private treatment rooms, evening appointments and free touch-up checks.",
    "Women's SMP and alopecia coverage in a calm, discreet setting.",
    "Experienced artists who plan each hairline around the client's age and face.",
)

DESCRIPTIONS = (
    "Every treatment starts with a consultation where we look at your scalp under daylight, "
    "talk about the look you want and draw a hairline together before any pigment is used. "
    "Most clients need three sessions a week or so apart.\n\n"
    "We use single-use needle cartridges and pigments made for the scalp, and we send you home "
    "with written aftercare for the first days.",
    "Our artists work on one client at a time, so sessions are never rushed. We photograph your "
    "progress at each visit and agree on the shade and density before we continue.\n\n"
    "If you have transplant scars or patches from alopecia, bring any medical notes to the "
    "consultation and we will plan around them.",
    "We opened to offer scalp micropigmentation that looks right up close, not only in photos. "
    "That means small, varied dots, a softened front edge and a shade matched to your skin.\n\n"
    "Prices include the usual three sessions; a touch-up visit within the first year is free.",
)

BIOS = (
    "Trained in fine-line tattooing before moving to SMP, and now works almost only on hairlines.",
    "Known for patient scar camouflage work and for matching pigment to lighter skin tones.",
    "Focuses on density treatments for clients, many of them women, who keep longer hair.",
    "Had SMP themselves before training, and talks every new client through what to expect.",
)

Stage = ClinicPhoto.Stage
# The drawn images (demo/<drawing>-<n>.jpg) and the stage each is shown as.
DRAWINGS = {
    "before": Stage.BEFORE,
    "after": Stage.FRESH,
    "result": Stage.HEALED,
    "studio": Stage.STUDIO,
}
ALT_TEXTS = {
    Stage.BEFORE: "Top of a client's scalp before treatment, with thinning at the crown",
    Stage.FRESH: "The same scalp straight after the third SMP session, with even density",
    Stage.HEALED: "Side view of a healed SMP hairline on a client with a short buzz cut",
    Stage.STUDIO: "A bright treatment room with a reclining chair and a daylight lamp",
}
# Sample clinics share a small pool of drawings, which the copy check would flag: staff
# "cleared" them, and "confirmed consent", because they are sample data.
SAMPLE_CLEARED = "Sample data: sample clinics share the same drawn images on purpose."

GALLERY_POOL = 6  # distinct generated images per kind, shared across clinics


JPEG_QUALITY = 82


def _scalp_image(seed: int, kind: str, size=(800, 600)) -> bytes:
    """A drawn top-down scalp: sparse, patchy dots before; an even stipple after."""
    rng = random.Random(seed)
    skin = rng.choice([(224, 190, 160), (198, 150, 115), (160, 112, 80), (240, 210, 185)])
    background = (235, 235, 232) if kind != "studio" else (205, 215, 225)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    if kind == "studio":
        draw.rectangle([0, height * 0.7, width, height], fill=(150, 130, 110))
        draw.rounded_rectangle(
            [width * 0.3, height * 0.35, width * 0.75, height * 0.75], radius=30, fill=(60, 60, 70)
        )
        draw.ellipse([width * 0.75, height * 0.1, width * 0.9, height * 0.25], fill=(255, 245, 200))
        return jpeg(image, JPEG_QUALITY)
    box = [width * 0.2, height * 0.1, width * 0.8, height * 0.95]
    draw.ellipse(box, fill=skin)
    pigment = (48, 40, 36)
    dots = 5000 if kind in ("after", "result") else 900
    cx, cy = width / 2, height * 0.52
    rx, ry = width * 0.29, height * 0.41
    for x, y in points_in_disc(rng, dots):
        if kind == "before" and (x * x + (y + 0.2) ** 2) < 0.3:
            continue  # the thinning crown
        dot(draw, cx + x * rx, cy + y * ry, rng.uniform(0.8, 1.6), pigment)
    return jpeg(image.filter(ImageFilter.GaussianBlur(0.6)), JPEG_QUALITY)


def photo_print(photo: ClinicPhoto) -> str:
    with photo.image.open("rb") as source:
        return fingerprints.fingerprint(source)


def _fingerprint_of(name: str) -> str:
    with default_storage.open(name, "rb") as source:
        return fingerprints.fingerprint(source)


def _sample_photo_fields(stage: str, artist, fingerprint: str, now) -> dict:
    """What staff would have recorded on a sample photo: the work, consent, the copy check."""
    healed = stage == Stage.HEALED
    return {
        "stage": stage,
        "artist": artist if stage != Stage.STUDIO else None,
        "months_healed": 8 if healed else None,
        "fingerprint": fingerprint,
        "consent_confirmed_at": now,
        "match_found_at": now,
        "match_details": SAMPLE_CLEARED,
        "match_cleared_at": now,
    }


def _portrait_image(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (192, 192), rng.choice([(31, 58, 95), (80, 60, 100), (40, 90, 80)]))
    draw = ImageDraw.Draw(image)
    tone = rng.choice([(230, 195, 165), (190, 140, 105), (140, 95, 65)])
    draw.ellipse([56, 30, 136, 120], fill=tone)
    draw.ellipse([30, 120, 162, 250], fill=tone)
    return jpeg(image, JPEG_QUALITY)


def load_services() -> dict[str, Service]:
    services = {}
    for order, (slug, name, description) in enumerate(SERVICES):
        services[slug], _ = Service.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    return services


def _status_for(index: int) -> str:
    if index % 13 == 5:
        return Clinic.Status.PENDING
    if index % 17 == 9:
        return Clinic.Status.SUSPENDED
    return Clinic.Status.APPROVED


@transaction.atomic
def load_directory(seed: int = 2026) -> dict[str, int]:
    """Create or update the sample directory. Safe to run any number of times."""
    rng = random.Random(seed)
    services = load_services()
    service_list = list(services.values())
    now = timezone.now()
    gallery = {
        kind: [
            stored_image(f"demo/{kind}-{n}.jpg", partial(_scalp_image, n, kind))
            for n in range(GALLERY_POOL)
        ]
        for kind in DRAWINGS
    }
    # Fingerprinted once per drawing: every sample photo of it has the same one.
    prints = {name: _fingerprint_of(name) for names in gallery.values() for name in names}
    portraits = [
        stored_image(f"demo/portrait-{n}.jpg", partial(_portrait_image, n)) for n in range(8)
    ]

    counts = {"cities": 0, "clinics": 0, "artists": 0, "photos": 0}
    clinic_index = 0
    for plan in COUNTRIES:
        for city_name, region, lat, lng, clinic_count in plan.cities:
            city, _ = City.objects.update_or_create(
                country=plan.code,
                slug=slugify(city_name),
                defaults={"name": city_name, "region": region, "latitude": lat, "longitude": lng},
            )
            counts["cities"] += 1
            used_names = set()
            for _ in range(clinic_count):
                clinic_index += 1
                name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)}"
                while name in used_names:
                    name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)}"
                used_names.add(name)
                low = rng.randrange(*plan.price_low, 50)
                high = rng.randrange(*plan.price_high, 50)
                status = _status_for(clinic_index)
                slug = slugify(name)
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
                        "phone": plan.phone_format.format(n=clinic_index % 100),
                        "website": f"https://{slug}-{city.slug}.example",
                        "instagram": f"{slug.replace('-', '')[:20]}_{city.slug[:8]}",
                        "quote_email": f"{slug}.{city.slug}@clinics.example",
                        "summary": f"Sample listing. {rng.choice(SUMMARIES)}",
                        "description": rng.choice(DESCRIPTIONS),
                        "price_from": low,
                        "price_to": high,
                        "currency": plan.currency,
                        "established_year": rng.randint(2010, 2023),
                        "accepts_quotes": clinic_index % 11 != 3,
                        "approved_at": now if status == Clinic.Status.APPROVED else None,
                        "reviewed_at": now - timedelta(days=rng.randint(1, 60)),
                    },
                )
                clinic.services.set(rng.sample(service_list, rng.randint(2, 5)))
                counts["clinics"] += 1

                for order in range(1 + clinic_index % 3):
                    artist_name = f"{rng.choice(plan.first_names)} {rng.choice(plan.last_names)}"
                    Artist.objects.update_or_create(
                        clinic=clinic,
                        order=order,
                        defaults={
                            "name": artist_name,
                            "bio": rng.choice(BIOS),
                            "since_year": rng.randint(2010, 2022),
                            "portrait": rng.choice(portraits),
                        },
                    )
                    counts["artists"] += 1

                pair = rng.randrange(GALLERY_POOL)  # drawn every run, so reruns stay in step
                for photo in clinic.photos.filter(thumbnail=""):
                    photo.save()  # photos loaded before thumbnails existed get one
                for photo in clinic.photos.filter(fingerprint=""):
                    # Loaded before the copy check existed: recorded as staff would have.
                    stage = photo.stage or Stage.HEALED
                    artist = clinic.artists.order_by("order").first()
                    fields = _sample_photo_fields(
                        stage, artist, prints.get(photo.image.name) or photo_print(photo), now
                    )
                    ClinicPhoto.objects.filter(pk=photo.pk).update(**fields)
                if not clinic.photos.exists():
                    artist = clinic.artists.order_by("order").first()
                    for order, (drawing, stage) in enumerate(DRAWINGS.items()):
                        image = gallery[drawing][pair]
                        ClinicPhoto.objects.create(
                            clinic=clinic,
                            image=image,
                            alt_text=ALT_TEXTS[stage],
                            order=order,
                            **_sample_photo_fields(stage, artist, prints[image], now),
                        )
                counts["photos"] += clinic.photos.count()
    return counts


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
        return _create_scale(clinic_count, random.Random(seed))


def _create_scale(clinic_count: int, rng: random.Random) -> dict[str, int]:
    services = list(load_services().values())
    plans = {plan.code: plan for plan in COUNTRIES}
    sizes = [min(BIG_CITY_CLINICS, clinic_count)]
    remaining = clinic_count - sizes[0]
    sizes += [5] * (remaining // 5) + ([remaining % 5] if remaining % 5 else [])

    cities = []
    for n in range(len(sizes)):
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
                search_name=fold(name),
            )
        )
    City.objects.bulk_create(cities)
    cities = list(City.objects.filter(slug__startswith=SCALE_PREFIX).order_by("pk"))

    now = timezone.now()
    clinics = []
    for city, size in zip(cities, sizes, strict=True):
        plan = plans[city.country.code]
        for n in range(size):
            name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {n + 1}"
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
                    summary=f"Sample listing. {rng.choice(SUMMARIES)}",
                    description=rng.choice(DESCRIPTIONS),
                    price_from=rng.randrange(*plan.price_low, 50),
                    price_to=rng.randrange(*plan.price_high, 50),
                    currency=plan.currency,
                    established_year=rng.randint(2010, 2023),
                    approved_at=now,
                    reviewed_at=now,
                    search_name=fold(name),
                )
            )
    Clinic.objects.bulk_create(clinics, batch_size=1000)
    City.objects.filter(slug__startswith=SCALE_PREFIX).refresh_listed_counts()  # no signals
    clinic_ids = list(
        Clinic.objects.filter(city__slug__startswith=SCALE_PREFIX).values_list("pk", flat=True)
    )

    Through = Clinic.services.through
    Through.objects.bulk_create(
        [
            Through(clinic_id=pk, service_id=service.pk)
            for pk in clinic_ids
            for service in rng.sample(services, 3)
        ],
        batch_size=5000,
    )
    Artist.objects.bulk_create(
        [
            Artist(
                clinic_id=pk,
                name=f"Sample Artist {pk}-{order}",
                bio=rng.choice(BIOS),
                since_year=2015,
                order=order,
            )
            for pk in clinic_ids
            for order in range(2)
        ],
        batch_size=5000,
    )
    names = {
        drawing: [f"demo/{drawing}-{n}.jpg" for n in range(GALLERY_POOL)] for drawing in DRAWINGS
    }
    prints = {name: _fingerprint_of(name) for pool in names.values() for name in pool}
    now = timezone.now()
    ClinicPhoto.objects.bulk_create(
        [
            ClinicPhoto(
                clinic_id=pk,
                image=names[drawing][pk % GALLERY_POOL],
                width=800,
                height=600,
                # The demo photos' thumbnails exist already: load_directory made them.
                thumbnail=thumbnail_name(names[drawing][pk % GALLERY_POOL]),
                thumb_width=400,
                thumb_height=300,
                alt_text=ALT_TEXTS[stage],
                order=order,
                **_sample_photo_fields(stage, None, prints[names[drawing][pk % GALLERY_POOL]], now),
            )
            for pk in clinic_ids
            for order, (drawing, stage) in enumerate(DRAWINGS.items())
        ],
        batch_size=5000,
    )
    return {"cities": len(cities), "clinics": len(clinic_ids)}
