"""Sample articles and FAQ entries for development, demos and the benchmark.

The texts are Markdown files under content/: content/articles/<slug>.md and
content/faq/<NN>-<slug>.md, each opening with TOML front matter between +++ lines.
Everything there was written for this project and is marked as sample content: the author
names the editors "(sample content)" and every article opens with a one-line note. Facts
about SMP follow common public knowledge; price ranges are indicative, not quotes.

Translations (German, Spanish, French, written for this project too) are under
content/translations/<language>/: every FAQ entry (faq/<slug>.md), three articles
(articles/<slug>.md: the introduction, the cost guide and how long SMP lasts, the ones a
first visit reads) and the site pages (pages/<slug>.md, `load_page_translations`). The
other articles stay English-only, so the demo shows both: a page in the reader's language,
and one in English with the notice that says so.
"""

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from django.db import models, transaction

from articles.markdown import render_markdown
from articles.models import Article, Category, FaqEntry
from common.languages import localized
from pages.models import SitePage

from . import illustrations
from .images import stored_image

AUTHOR = "SMP Clinic Finder editors (sample content)"
SAMPLE_NOTE = (
    "_Sample content, written for the SMP Clinic Finder demonstration: "
    "general information, not medical advice._"
)
HERO_SIZE = illustrations.HERO_SIZE

CATEGORIES = [
    (
        "understanding-smp",
        "Understanding SMP",
        "What scalp micropigmentation is, who it suits, and how it compares with other options.",
    ),
    (
        "your-treatment",
        "Your treatment",
        "From the first consultation to the sessions, aftercare and touch-ups years later.",
    ),
    (
        "planning-and-cost",
        "Planning and cost",
        "How to choose an artist, what SMP costs and how to get a fair quote.",
    ),
]

# The categories' names and sentences in German, Spanish and French (sample content,
# written for this project like the rest): the FAQ's headings on each language's page.
CATEGORY_TRANSLATIONS = {
    "understanding-smp": {
        "de": (
            "SMP verstehen",
            "Was Haarpigmentierung ist, für wen sie passt und wie sie sich von anderen "
            "Möglichkeiten unterscheidet.",
        ),
        "es": (
            "Entender la SMP",
            "Qué es la micropigmentación capilar, a quién le conviene y cómo se compara con "
            "otras opciones.",
        ),
        "fr": (
            "Comprendre la SMP",
            "Ce qu’est la micropigmentation capillaire, à qui elle convient et comment elle "
            "se compare aux autres solutions.",
        ),
    },
    "your-treatment": {
        "de": (
            "Ihre Behandlung",
            "Von der ersten Beratung über die Sitzungen und die Pflege bis zum Auffrischen "
            "Jahre später.",
        ),
        "es": (
            "Su tratamiento",
            "De la primera consulta a las sesiones, los cuidados y los retoques años después.",
        ),
        "fr": (
            "Votre traitement",
            "De la première consultation aux séances, aux soins et aux retouches des années "
            "plus tard.",
        ),
    },
    "planning-and-cost": {
        "de": (
            "Planung und Kosten",
            "Wie Sie einen Artist wählen, was SMP kostet und wie Sie ein faires Angebot erhalten.",
        ),
        "es": (
            "Planificación y precio",
            "Cómo elegir artista, cuánto cuesta la SMP y cómo conseguir un presupuesto justo.",
        ),
        "fr": (
            "Organisation et prix",
            "Comment choisir un artiste, ce que coûte la SMP et comment obtenir un devis juste.",
        ),
    },
}

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TRANSLATIONS_DIR = CONTENT_DIR / "translations"
# SAMPLE_NOTE in each translation's language: an article's first line.
SAMPLE_NOTES = {
    "de": "_Beispielinhalt, geschrieben für die Demonstration von SMP Clinic Finder: "
    "allgemeine Informationen, keine medizinische Beratung._",
    "es": "_Contenido de ejemplo, escrito para la demostración de SMP Clinic Finder: "
    "información general, no consejo médico._",
    "fr": "_Contenu d’exemple, rédigé pour la démonstration de SMP Clinic Finder\u00a0: "
    "informations générales, pas un avis médical._",
}
_FRONT_MATTER = re.compile(r"\A\+\+\+\r?\n(.*?)^\+\+\+\r?\n(.*)\Z", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class SampleArticle:
    slug: str
    title: str
    category: str
    summary: str
    published: date
    motif: str
    hero_alt: str
    body: str


@dataclass(frozen=True)
class SampleFaq:
    slug: str
    question: str
    order: int
    answer: str
    category: str | None = None  # None: the FAQ's general section


Sample = TypeVar("Sample", SampleArticle, SampleFaq)


def read_content(path: Path) -> tuple[dict, str]:
    """A content file's front matter and its Markdown, stripped."""
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{path}: no front matter between +++ lines at the top")
    try:
        fields = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from None
    return fields, match.group(2).strip()


def _sample(cls: type[Sample], path: Path, slug: str, text_field: str) -> Sample:
    fields, text = read_content(path)
    try:
        return cls(slug=slug, **{**fields, text_field: text})
    except TypeError as error:  # a missing or unknown field
        raise ValueError(f"{path}: {error}") from None


def sample_articles() -> list[SampleArticle]:
    """Oldest first: an article's place in this list seeds its hero illustration."""
    articles = [
        _sample(SampleArticle, path, path.stem, "body")
        for path in (CONTENT_DIR / "articles").glob("*.md")
    ]
    return sorted(articles, key=lambda article: (article.published, article.slug))


def sample_faq() -> list[SampleFaq]:
    """In file-name order: the NN prefix sets the order entries are created in."""
    return [
        _sample(SampleFaq, path, path.stem.partition("-")[2], "answer")
        for path in sorted((CONTENT_DIR / "faq").glob("*.md"))
    ]


def translations(kind: str) -> dict[str, dict[str, tuple[dict, str]]]:
    """{slug: {language: (front matter, Markdown)}} from content/translations/<language>/<kind>/."""
    found: dict[str, dict[str, tuple[dict, str]]] = {}
    for language_dir in sorted(TRANSLATIONS_DIR.iterdir()):
        for path in sorted((language_dir / kind).glob("*.md")):
            found.setdefault(path.stem, {})[language_dir.name] = read_content(path)
    return found


def _translated(texts: dict[str, tuple[dict, str]], text_field: str, note: bool = False) -> dict:
    """A row's translated columns: `title_de`... from each language's front matter, and
    its Markdown as `text_field` (an article's opening with the sample note)."""
    values: dict[str, str] = {}
    for language, (fields, text) in texts.items():
        values |= {localized(name, language): value for name, value in fields.items()}
        body = f"{SAMPLE_NOTES[language]}\n\n{text}\n" if note else text
        values[localized(text_field, language)] = body
    return values


def _hero_image(seed: int, motif: str) -> bytes:
    """A drawn illustration for the article's theme (demo/illustrations.py)."""
    return illustrations.render_jpeg(illustrations.hero_svg(motif, seed), *HERO_SIZE)


def _article_body(sample: SampleArticle) -> str:
    return f"{SAMPLE_NOTE}\n\n{sample.body}\n"


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """update_or_create that saves only when something changed, so updated_at stays put."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


@transaction.atomic
def load_articles() -> dict[str, int]:
    """Create or refresh the sample articles and FAQ. Safe to run any number of times."""
    categories = {
        slug: _upsert(
            Category,
            {"slug": slug},
            {
                "name": name,
                "description": description,
                "order": order,
                **{
                    f"{field}_{language}": text
                    for language, texts in CATEGORY_TRANSLATIONS.get(slug, {}).items()
                    for field, text in zip(("name", "description"), texts, strict=True)
                },
            },
        )
        for order, (slug, name, description) in enumerate(CATEGORIES)
    }
    articles, faq = sample_articles(), sample_faq()
    article_translations, faq_translations = translations("articles"), translations("faq")
    for seed, sample in enumerate(articles):
        _upsert(
            Article,
            {"slug": sample.slug},
            {
                "title": sample.title,
                "category": categories[sample.category],
                "summary": sample.summary,
                "body": _article_body(sample),
                "hero_image": stored_image(
                    f"demo/illustrations/articles/{sample.slug}.jpg",
                    partial(_hero_image, seed, sample.motif),
                ),
                "hero_alt": sample.hero_alt,
                "author_name": AUTHOR,
                "status": Article.Status.PUBLISHED,
                "published_at": datetime.combine(sample.published, time(9, 0), tzinfo=UTC),
                **_translated(article_translations.get(sample.slug, {}), "body", note=True),
            },
        )
    for entry in faq:
        _upsert(
            FaqEntry,
            {"slug": entry.slug},
            {
                "question": entry.question,
                "answer": entry.answer,
                "category": categories[entry.category] if entry.category else None,
                "order": entry.order,
                "published": True,
                **_translated(faq_translations.get(entry.slug, {}), "answer"),
            },
        )
    return {
        "categories": len(categories),
        "articles": len(articles),
        "faq_entries": len(faq),
    }


def load_page_translations() -> int:
    """The site pages' sample translations, into the languages a page has no text in
    yet: what staff wrote in admin is never overwritten. The number of pages changed."""
    changed = 0
    for slug, texts in translations("pages").items():
        page = SitePage.objects.filter(slug=slug).first()
        if page is None:
            continue
        missing = {code: text for code, text in texts.items() if code not in page.text_languages()}
        for name, value in _translated(missing, "body").items():
            setattr(page, name, value)
        if missing:
            page.save()
            changed += 1
    return changed


SCALE_SLUG_PREFIX = "sample-guide-"


def load_scale_articles(count: int) -> int:
    """Add `count` short published sample articles for benchmarks (bulk, rendered once).

    Running it again with the same count changes nothing; another count replaces them.
    """
    scale = Article.objects.filter(slug__startswith=SCALE_SLUG_PREFIX)
    if scale.count() == count:
        return count
    categories = list(Category.objects.order_by("pk"))
    template = sample_articles()[0]
    body = _article_body(template)
    rendered = render_markdown(body)
    toc = [h for h in rendered.headings if h["level"] == 2]
    with transaction.atomic():
        scale.delete()
        Article.objects.bulk_create(
            [
                Article(
                    title=f"Sample guide {n:04d}: {template.title}",
                    slug=f"{SCALE_SLUG_PREFIX}{n:04d}",
                    category=categories[n % len(categories)] if categories else None,
                    summary=template.summary,
                    body=body,
                    body_html=rendered.html,
                    toc=toc,
                    word_count=rendered.word_count,
                    author_name=AUTHOR,
                    status=Article.Status.PUBLISHED,
                    published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n),
                )
                for n in range(count)
            ],
            batch_size=500,
        )
    return count
