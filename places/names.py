"""Text as the gazetteer compares it: folded, punctuation-free, noise words known."""

import re
import unicodedata

# Letters that Unicode decomposition does not split into base + accent.
_EXTRA_FOLDS = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"})
# Everything but letters, digits and apostrophes separates words: "St. Albans",
# "Stratford-upon-Avon" and "stratford upon avon" read the same.
_SEPARATORS = re.compile(r"[^\w']+|_")
_SPACES = re.compile(r"\s+")
# A name as the gazetteer keeps it: Latin letters after folding (other scripts are left
# out: the site is in English and its visitors type Latin letters).
LATIN_NAME = re.compile(r"^[a-z0-9 ]+$")

# Words people add around a place that are not part of any place's name, dropped wherever
# they stand: the treatment's names and what they look for, in English, German, Spanish
# and French ("smp clinic leeds", "Haarpigmentierung Berlin", "micropigmentación capilar
# Madrid", "tatouage capillaire Lyon"), folded as `normalise` folds them.
NOISE_WORDS = frozenset(
    {
        # English
        "smp",
        "scalp",
        "micropigmentation",
        "micro",
        "pigmentation",
        "micropigment",
        "hair",
        "tattoo",
        "tattoos",
        "tattooing",
        "clinic",
        "clinics",
        "artist",
        "artists",
        "studio",
        "studios",
        "specialist",
        "specialists",
        "treatment",
        "nearby",
        "me",
        "best",
        "top",
        # German
        "haarpigmentierung",
        "kopfhautpigmentierung",
        "mikropigmentierung",
        "pigmentierung",
        "kopfhaut",
        "haare",
        "haartattoo",
        "haartatowierung",
        "tatowierung",
        "klinik",
        "kliniken",
        "praxis",
        "behandlung",
        "beste",
        "besten",
        "meiner",
        "mir",
        # Spanish
        "micropigmentacion",
        "tricopigmentacion",
        "pigmentacion",
        "capilar",
        "tatuaje",
        "tatuajes",
        "clinica",
        "clinicas",
        "centro",
        "estudio",
        "cuero",
        "cabelludo",
        "especialista",
        "especialistas",
        "tratamiento",
        "mejor",
        "mejores",
        # French
        "capillaire",
        "capillaires",
        "tatouage",
        "tatouages",
        "clinique",
        "cliniques",
        "cuir",
        "chevelu",
        "specialiste",
        "specialistes",
        "traitement",
        "meilleur",
        "meilleure",
    }
)
# Little words around a place ("in", "near", "en", "bei", "à"), dropped only at either
# end of what is left: inside a name they belong to it ("Jerez de la Frontera").
EDGE_WORDS = frozenset(
    {
        "in",
        "near",
        "around",
        "at",
        "bei",
        "im",
        "um",
        "nahe",
        "der",
        "von",
        "en",
        "cerca",
        "de",
        "del",
        "a",
        "au",
        "pres",
        "dans",
    }
)


def fold(text: str) -> str:
    """Lower-case, accent-free text for matching: "München" and "MUNCHEN" both give "munchen"."""
    if text.isascii():
        # Most names: nothing to decompose, and ASCII's case fold is its lower case. The
        # same answer as the general path, several times sooner (a page of city tiles
        # folds two names a tile, a misspelt search every listed city's).
        return text.lower().strip()
    text = text.casefold().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def normalise(text: str) -> str:
    """Folded, with punctuation as spaces and runs of spaces as one: how names are compared."""
    text = _SEPARATORS.sub(" ", fold(text)).replace("'", "")
    return _SPACES.sub(" ", text).strip()


def without_noise(text: str) -> str:
    """The words that are left once the treatment's names and the little words are gone."""
    words = [word for word in text.split() if word not in NOISE_WORDS]
    while words and words[0] in EDGE_WORDS:
        words.pop(0)
    while words and words[-1] in EDGE_WORDS:
        words.pop()
    return " ".join(words)


def name_key(name: str) -> str:
    """The first three letters: a plain index on them serves prefix look-ups everywhere."""
    return name[:3]
