"""Markdown to safe HTML for articles and FAQ answers.

1. markdown-it-py parses CommonMark with raw HTML off (it is shown as text) plus tables.
2. The token stream is adjusted: headings are clamped below the page's own h1 and get
   unique id anchors, external links get rel="noopener noreferrer", and table alignment
   becomes a class (the Content-Security-Policy forbids inline styles).
3. nh3 cleans the result against an allow-list, so even a bug in steps 1-2 cannot let a
   script, an event handler, a style or a javascript:/data: URL reach a page.
"""

from dataclasses import dataclass, field

import nh3
from django.utils.html import strip_tags
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

# ids that the page templates use themselves: a heading must never take one of them.
RESERVED_IDS = frozenset(
    {"main", "content", "toc", "toc-heading", "related-heading", "cta-heading", "article-body"}
)

ALLOWED_TAGS = frozenset(
    {
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "br",
        "hr",
        "ul",
        "ol",
        "li",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
ALIGN_CLASSES = {"left": "align-left", "center": "align-center", "right": "align-right"}
# Dropped together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea"}
)
EXTERNAL_REL = "noopener noreferrer"
WORDS_PER_MINUTE = 220

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass
class Rendered:
    html: str
    headings: list[dict] = field(default_factory=list)
    word_count: int = 0


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    # rel is set by the renderer on external links only; any other value is dropped.
    tag_attribute_values={"a": {"rel": {EXTERNAL_REL}}},
    set_tag_attribute_values={"img": {"loading": "lazy"}},
    # Table alignment, as classes: the only classes a body may carry.
    allowed_classes={tag: set(ALIGN_CLASSES.values()) for tag in ("th", "td")},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Sanitise an HTML fragment against the article allow-list."""
    return _cleaner.clean(html)


def render_markdown(text: str, *, top_level: int = 2, anchors: bool = True) -> Rendered:
    """Render Markdown to sanitised HTML, with the headings found (for a table of contents).

    top_level is the highest heading level the text may use: an article page owns its h1,
    so "# Title" in a body becomes an h2. anchors=False leaves headings without ids, for
    fragments shown many to a page (FAQ answers).
    """
    tokens = _md.parse(text or "")
    headings = _adjust(tokens, top_level=top_level, anchors=anchors)
    html = clean_html(_md.renderer.render(tokens, _md.options, {}))
    return Rendered(html=html, headings=headings, word_count=len(strip_tags(html).split()))


def reading_minutes(word_count: int) -> int:
    return max(1, round(word_count / WORDS_PER_MINUTE))


def _adjust(tokens: list[Token], *, top_level: int, anchors: bool) -> list[dict]:
    used = set(RESERVED_IDS)
    headings = []
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(int(token.tag[1]), top_level)}"
            if token.type == "heading_open" and anchors:
                text = _plain_text(tokens[index + 1])
                anchor = _unique(slugify(text) or "section", used)
                token.attrSet("id", anchor)
                headings.append({"level": int(token.tag[1]), "id": anchor, "text": text})
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            token.attrs.pop("style", None)
            align = style.removeprefix("text-align:")
            if align in ALIGN_CLASSES:
                token.attrSet("class", ALIGN_CLASSES[align])
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open" and _is_external(str(child.attrGet("href") or "")):
                    child.attrSet("rel", EXTERNAL_REL)
    return headings


def _plain_text(inline: Token) -> str:
    parts = [
        child.content
        for child in inline.children or []
        if child.type in ("text", "code_inline", "softbreak")
    ]
    return " ".join("".join(parts).split())


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


def _is_external(href: str) -> bool:
    return href.lower().startswith(("http://", "https://", "//"))
