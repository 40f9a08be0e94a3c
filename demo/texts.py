"""The parts the sample directory's names and texts are put together from.

Written for this project. Each clinic and artist gets its own combination (the loader
never hands out the same one twice), so the directory reads like many businesses rather
than a few repeated ones; every clinic still says it is a sample listing.
"""

import random
from collections.abc import Sequence

NAME_WORDS = (
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
    "Cedar",
    "Slate",
    "Beacon",
    "Kestrel",
    "Linden",
    "Copperleaf",
    "Juniper",
    "Fieldstone",
    "Aspen",
    "Larkspur",
    "Pointwork",
    "Atlas",
    "Saltbox",
    "Quarry",
    "Birchwood",
    "Halcyon",
)
NAME_KINDS = (
    "Scalp Studio",
    "SMP Clinic",
    "Scalp Clinic",
    "Micro Scalp",
    "Hair Tattoo Studio",
    "SMP Lab",
    "Scalp Artistry",
    "Hairline Studio",
    "SMP Studio",
    "Scalp Pigment Co.",
)

# A clinic's summary: who they are, what they focus on (from its services), one practical detail.
OPENERS = (
    "A two-chair studio",
    "A private clinic",
    "A family-run studio",
    "A quiet first-floor studio",
    "An artist-led clinic",
    "A small team",
    "A studio in a converted townhouse",
    "A clinic inside a medical practice",
    "A long-standing studio",
    "A newly opened clinic",
)
# Per service: how a summary and a description name it, and two ways a bio can.
FOCUS = {
    "mens-smp": (
        "shaved-look SMP with crisp, age-right hairlines",
        "the close-shaved look",
        ("Most of their work is the shaved look", "They do a lot of full-head work"),
    ),
    "hairline": (
        "natural front hairlines drawn with you before any pigment",
        "soft, irregular hairlines",
        ("They are known for their hairlines", "Hairline design is their favourite part"),
    ),
    "density": (
        "density for clients who keep their hair longer",
        "adding density under longer hair",
        ("Much of their work is density under longer hair", "They like subtle density work"),
    ),
    "womens-smp": (
        "women's SMP for thinning partings and crowns",
        "density work for women",
        ("Many of their clients are women with thinning partings", "They focus on women's SMP"),
    ),
    "scar-camouflage": (
        "camouflage for FUE and strip scars",
        "blending transplant scars",
        ("They are patient with scar camouflage", "Transplant scars are a speciality"),
    ),
    "alopecia": (
        "alopecia coverage, from small patches to the whole scalp",
        "alopecia coverage",
        ("They often work with alopecia", "Alopecia coverage is much of their week"),
    ),
    "touch-up": (
        "refreshing older treatments that have faded",
        "top-ups of faded SMP",
        ("They refresh a lot of older work", "Top-ups of faded SMP fill their Fridays"),
    ),
    "correction": (
        "correcting earlier SMP that has blurred or darkened",
        "correction work",
        ("They take on correction work", "They often fix earlier SMP that has blurred"),
    ),
}
DETAILS = (
    "with evening and Saturday appointments",
    "with written aftercare for every session",
    "where consultations take as long as they need",
    "with free touch-up checks in the first year",
    "with step-free access",
    "offering a free patch test before the first session",
    "with private treatment rooms",
    "with video consultations before you visit",
    "photographing your progress at every session",
    "matching pigment to your skin in daylight",
)

# A clinic's description: consultation, way of working, practicalities, each in several versions.
CONSULTATIONS = (
    "Every treatment at {name} starts with a consultation: we look at your scalp in daylight, "
    "talk about the look you want and draw the hairline together before any pigment is used.",
    "Your first visit to {name} is a conversation, not a sales pitch. We ask about your hair loss, "
    "any medication and how you wear your hair, and we show you healed work on skin like yours.",
    "Before booking, {name} invites you for a free consultation of about forty minutes, in person "
    "or by video, and sends you a written plan with the number of sessions and the price.",
    "At {name} we plan each treatment on paper first: a sketch of the hairline or the area to "
    "cover, the shade of pigment, and how many sessions it should take.",
    "Consultations at {name} are unhurried. If SMP is not the right choice for you, we will say so "
    "and suggest who else to talk to.",
)
WAYS_OF_WORKING = (
    "Our artists work on one client at a time, so sessions are never rushed, and we photograph "
    "your progress at each visit.",
    "We use single-use needle cartridges and pigments made for the scalp, and we build density "
    "over the sessions rather than all at once.",
    "Each session lasts two to four hours; we agree the shade and density with you before we "
    "continue, and you can stop for a break whenever you like.",
    "We keep the dots small and varied, which looks right up close and fades evenly "
    "over the years.",
    "Most clients need three sessions a week or so apart; scar work and alopecia can "
    "take a fourth.",
)
PRACTICALITIES = (
    "Prices include the usual three sessions, and a touch-up visit within the first year is free.",
    "We send you home with written aftercare and answer questions by message in the first weeks.",
    "A deposit secures your dates; the rest is paid after the last session.",
    "We book a review four weeks after your final session to check how everything has healed.",
    "You can pay per session, and we will tell you the full price before you start.",
)

# An artist's bio: how they came to SMP, what they focus on, something about how they work,
# one sentence each.
ROUTES = (
    "trained in fine-line tattooing before moving to scalp micropigmentation",
    "came to SMP after ten years as a barber",
    "worked as a nurse before training in SMP",
    "learned SMP after a first career in illustration",
    "trained at an SMP academy, then assisted a senior artist for two years",
    "moved from permanent make-up to scalp work",
    "started in SMP after having the treatment themselves",
    "studied fine art and has specialised in SMP ever since",
    "was a hairdresser for years before retraining in SMP",
    "trained in medical tattooing, including scar work",
    "began as a studio manager and trained as an artist there",
    "has a background in cosmetic dermatology clinics",
)
# Each a whole sentence with its own subject ({name}: the artist's first name), so it reads
# right after any focus sentence.
HABITS = (
    "{name} plans every hairline in daylight by the window.",
    "They keep a note of every client's pigment mix.",
    "{name} always books a review visit after the last session.",
    "They will tell you honestly when SMP isn't the right choice.",
    "Once a year, {name} teaches a refresher class for newer artists.",
    "They prefer small, varied dots to heavy coverage.",
    "{name} photographs each session so you can see your progress.",
    "{name} treats at most two clients a day.",
    "Ask {name} to show you healed work from several years ago.",
    "They answer aftercare questions by message.",
    "{name} takes care to match pigment to lighter and darker skin.",
    "Before starting, they explain each step.",
)


class Parts:
    """Hands out combinations of parts, never the same one twice in one load."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[tuple] = set()

    def pick(self, *choices: Sequence) -> tuple:
        for _ in range(200):
            combination = tuple(self.rng.choice(options) for options in choices)
            if combination not in self.used:
                self.used.add(combination)
                return combination
        raise ValueError("not enough parts for distinct combinations")


def clinic_summary(parts: Parts, services: Sequence[str]) -> str:
    opener, service, detail = parts.pick(OPENERS, services, DETAILS)
    # Not "Sample listing." again: the profile and cards already say so beside it.
    return f"{opener} for {FOCUS[service][0]}, {detail}."


def clinic_description(parts: Parts, name: str, services: Sequence[str]) -> str:
    consultation, way, practical = parts.pick(CONSULTATIONS, WAYS_OF_WORKING, PRACTICALITIES)
    focus = ", ".join(FOCUS[slug][1] for slug in services[:3])
    return (
        f"{consultation.format(name=name)} {way}\n\n"
        f"Our work here includes {focus}. {practical}\n\n"
        "This is a sample listing made for the demonstration: the clinic, its artists and "
        "its prices are invented."
    )


def artist_bio(parts: Parts, first_name: str, services: Sequence[str]) -> str:
    route, service, habit = parts.pick(ROUTES, services, HABITS)
    focus = parts.rng.choice(FOCUS[service][2])
    # Three sentences, each with its own subject: joined into one, the parts broke grammar.
    return f"{first_name} {route}. {focus}. {habit.format(name=first_name)}"


# The summary and description some sample clinics also wrote in their country's language
# (Germany, Spain, Montréal), so the profile shows the visitor's language where the
# clinic wrote it and says which language it is in where not. Chosen by the clinic's
# place in the load, never from the loader's random stream (the rest stays as it was).
LOCAL_TEXTS: dict[str, dict] = {
    "de": {
        "openers": (
            "Ein kleines Studio",
            "Eine private Praxis",
            "Ein familiengeführtes Studio",
            "Ein ruhiges Studio",
        ),
        "details": (
            "Termine auch abends und samstags",
            "schriftliche Nachsorge nach jeder Sitzung",
            "Beratung ohne Zeitdruck",
            "Fotos Ihres Fortschritts bei jedem Termin",
        ),
        "summary": "{opener} für Haarpigmentierung in {city}: {detail}.",
        "description": (
            "Bei {name} beginnt jede Behandlung mit einem Beratungsgespräch: Wir sehen uns "
            "Ihre Kopfhaut bei Tageslicht an und zeichnen den Haaransatz gemeinsam mit Ihnen, "
            "bevor wir Pigment verwenden.\n\n{practical}\n\n"
            "Dies ist ein Beispieleintrag für die Demonstration: Die Klinik, ihre Artists und "
            "ihre Preise sind erfunden."
        ),
        "practicals": (
            "Der Preis umfasst die üblichen drei Sitzungen; eine Auffrischung im ersten Jahr "
            "ist kostenlos.",
            "Sie erhalten eine schriftliche Anleitung zur Nachsorge, und wir beantworten Ihre "
            "Fragen in den ersten Wochen per Nachricht.",
            "Eine Anzahlung sichert Ihre Termine; den Rest zahlen Sie nach der letzten Sitzung.",
        ),
    },
    "es": {
        "openers": (
            "Un estudio pequeño",
            "Una clínica privada",
            "Un estudio familiar",
            "Un estudio tranquilo",
        ),
        "details": (
            "citas también por la tarde y los sábados",
            "cuidados posteriores por escrito tras cada sesión",
            "consultas sin prisas",
            "fotos de su evolución en cada visita",
        ),
        "summary": "{opener} de micropigmentación capilar en {city}: {detail}.",
        "description": (
            "En {name}, cada tratamiento empieza con una consulta: miramos su cuero cabelludo "
            "con luz natural y dibujamos la línea del cabello con usted antes de usar ningún "
            "pigmento.\n\n{practical}\n\n"
            "Este es un anuncio de muestra creado para la demostración: la clínica, sus "
            "artistas y sus precios son inventados."
        ),
        "practicals": (
            "El precio incluye las tres sesiones habituales y un retoque gratuito durante el "
            "primer año.",
            "Le entregamos por escrito los cuidados posteriores y respondemos a sus preguntas "
            "por mensaje durante las primeras semanas.",
            "Una señal reserva sus fechas; el resto se paga después de la última sesión.",
        ),
    },
    "fr": {
        "openers": (
            "Un petit studio",
            "Une clinique privée",
            "Un studio familial",
            "Un studio tranquille",
        ),
        "details": (
            "rendez-vous aussi le soir et le samedi",
            "conseils de soins écrits après chaque séance",
            "consultations sans précipitation",
            "photos de vos progrès à chaque visite",
        ),
        "summary": "{opener} de micropigmentation capillaire à {city}\u00a0: {detail}.",
        "description": (
            "Chez {name}, chaque traitement commence par une consultation\u00a0: nous examinons "
            "votre cuir chevelu à la lumière du jour et dessinons la ligne frontale avec vous "
            "avant d’utiliser le moindre pigment.\n\n{practical}\n\n"
            "Ceci est une fiche d’exemple créée pour la démonstration\u00a0: la clinique, ses "
            "artistes et ses prix sont inventés."
        ),
        "practicals": (
            "Le prix comprend les trois séances habituelles, et une retouche la première année "
            "est offerte.",
            "Vous repartez avec des conseils de soins écrits et nous répondons à vos questions "
            "par message les premières semaines.",
            "Un acompte réserve vos dates\u00a0; le reste se paie après la dernière séance.",
        ),
    },
}


def clinic_local_texts(language: str, n: int, name: str, city: str) -> tuple[str, str]:
    """The summary and description of the n-th sample clinic in `language`."""
    parts = LOCAL_TEXTS[language]
    opener = parts["openers"][n % len(parts["openers"])]
    detail = parts["details"][(n // 2) % len(parts["details"])]
    practical = parts["practicals"][n % len(parts["practicals"])]
    return (
        parts["summary"].format(opener=opener, city=city, detail=detail),
        parts["description"].format(name=name, practical=practical),
    )
