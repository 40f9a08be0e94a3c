"""The site pages' first texts: Markdown files in pages/content/, with TOML front matter.

They are a starting point the operator adapts in admin; the first migrate creates each
page that doesn't exist yet, and never overwrites one staff have edited.
"""

import re
import tomllib
from pathlib import Path

from articles.markdown import render_markdown

CONTENT_DIR = Path(__file__).resolve().parent / "content"
_FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n(.*)\Z", re.S)


def page_texts() -> dict[str, dict[str, str]]:
    """{slug: {"title", "summary", "body"}} for every file in pages/content/."""
    texts = {}
    for path in sorted(CONTENT_DIR.glob("*.md")):
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if match is None:
            raise ValueError(f"{path}: no +++ front matter")
        fields = tomllib.loads(match.group(1))
        texts[path.stem] = {
            "title": fields["title"],
            "summary": fields["summary"],
            "body": match.group(2).strip() + "\n",
        }
    return texts


def create_missing_pages(model) -> int:
    """Create the pages that don't exist yet (`model` may be a migration's historical one)."""
    columns = {field.name for field in model._meta.get_fields()}
    created = 0
    for slug, text in page_texts().items():
        if not model.objects.filter(slug=slug).exists():
            values = {**text, "body_html": render_markdown(text["body"]).html}
            # English's own columns too, once the model has them (pages/translation.py): a
            # migration's historical model knows nothing of the translations.
            english = {f"{name}_en_gb": value for name, value in values.items()}
            values |= {name: value for name, value in english.items() if name in columns}
            model.objects.create(slug=slug, **values)
            created += 1
    return created
