"""Sample articles and FAQ entries for development, demos and the benchmark.

The texts are Markdown files under content/: content/articles/<slug>.md and
content/faq/<NN>-<slug>.md, each opening with TOML front matter between +++ lines.
Everything there was written for this project and is marked as sample content: the author
names the editors "(sample content)" and every article opens with a one-line note. Facts
about SMP follow common public knowledge; price ranges are indicative, not quotes.
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

CONTENT_DIR = Path(__file__).resolve().parent / "content"
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
            Category, {"slug": slug}, {"name": name, "description": description, "order": order}
        )
        for order, (slug, name, description) in enumerate(CATEGORIES)
    }
    articles, faq = sample_articles(), sample_faq()
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
            },
        )
    return {
        "categories": len(categories),
        "articles": len(articles),
        "faq_entries": len(faq),
    }


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
