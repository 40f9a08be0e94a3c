"""Small readers for rendered pages, shared by the article tests."""

import json
import re
from html.parser import HTMLParser


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[ >]", html))


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    """Every start tag in a fragment, with its attributes."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags
