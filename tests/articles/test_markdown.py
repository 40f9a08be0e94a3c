"""Markdown rendering and sanitising: nothing executable or styled ever reaches a page."""

import pytest

from articles.markdown import ALLOWED_TAGS, clean_html, reading_minutes, render_markdown
from tests.articles.html import tags

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


def assert_safe(html: str) -> None:
    for tag, attrs in tags(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("style", "srcdoc", "formaction"), (tag, name)
            if name in ("href", "src"):
                cleaned = "".join((value or "").split()).lower()
                assert not cleaned.startswith(UNSAFE_SCHEMES), (tag, name, value)


# Markdown as staff would type it, including raw HTML (which must come out as text).
MARKDOWN_CASES = [
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
    (
        '<p style="color:red">red</p>',
        '<p>&lt;p style="color:red"&gt;red&lt;/p&gt;</p>\n',
    ),
    (
        '<iframe src="https://evil.example"></iframe>',
        '<p>&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</p>\n',
    ),
    (
        "<scr<script>ipt>alert(1)</script>",
        "<p>&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;</p>\n",
    ),
    ("[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>\n"),
    ("[click](JaVaScRiPt:alert(1))", "<p>[click](JaVaScRiPt:alert(1))</p>\n"),
    ("[click](&#106;avascript:alert(1))", "<p>[click](javascript:alert(1))</p>\n"),
    (
        "[click][x]\n\n[x]: javascript:alert(1)",
        "<p>[click][x]</p>\n<p>[x]: javascript:alert(1)</p>\n",
    ),
    ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>\n"),
    ("[click](vbscript:msgbox(1))", "<p>[click](vbscript:msgbox(1))</p>\n"),
    (
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<p>[click](data:text/html;base64,PHNjcmlwdD4=)</p>\n",
    ),
    ("![pixel](data:image/png;base64,AAAA)", '<p><img alt="pixel" loading="lazy"></p>\n'),
    ("![pic](javascript:alert(1))", "<p>![pic](javascript:alert(1))</p>\n"),
    (
        '[x](https://ok.example "t\\" onclick=\\"alert(1)")',
        '<p><a href="https://ok.example" title="t&quot; onclick=&quot;alert(1)" '
        'rel="noopener noreferrer">x</a></p>\n',
    ),
    (
        "```html\n<script>alert(1)</script>\n```",
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n",
    ),
    (
        "| a | b |\n|:-:|--:|\n| 1 | 2 |",
        '<table>\n<thead>\n<tr>\n<th class="align-center">a</th>\n<th class="align-right">b</th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td class="align-center">1</td>\n'
        '<td class="align-right">2</td>\n</tr>\n</tbody>\n</table>\n',
    ),
]


@pytest.mark.parametrize(("source", "expected"), MARKDOWN_CASES)
def test_hostile_markdown_renders_as_harmless_html(source, expected):
    html = render_markdown(source).html
    assert html == expected
    assert_safe(html)


# Raw HTML straight into the sanitiser: the second wall, should the renderer ever let
# HTML through.
HTML_CASES = [
    ("<script>alert(1)</script>kept", "kept"),
    ("<img src=x onerror=alert(1)>", '<img src="x" loading="lazy">'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "<a>x</a>"),
    (
        '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="a">',
        '<img alt="a" loading="lazy">',
    ),
    ('<p style="color:red" class="x">red</p>', "<p>red</p>"),
    ('<iframe src="https://evil.example"></iframe>after', "after"),
    ("<div><style>body { display: none }</style>text</div>", "text"),
    ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    ("<svg onload=alert(1)><circle></circle></svg>", ""),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', ""),
    ('<form action="https://evil.example"><input name="a"></form>', ""),
    (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        '<img src="x" loading="lazy">"&gt;',
    ),
    ("<!-- <script>alert(1)</script> --><strong>b</strong>", "<strong>b</strong>"),
    (
        '<a href="https://ok.example" rel="opener" target="_blank">x</a>',
        '<a href="https://ok.example">x</a>',
    ),
    ('<h2 id="a" onclick="alert(1)">Heading</h2>', '<h2 id="a">Heading</h2>'),
    (
        '<table><tr><td class="align-right evil" style="color:red">1</td></tr></table>',
        '<table><tbody><tr><td class="align-right">1</td></tr></tbody></table>',
    ),
]


@pytest.mark.parametrize(("source", "expected"), HTML_CASES)
def test_the_sanitiser_strips_hostile_html(source, expected):
    html = clean_html(source)
    assert html == expected
    assert_safe(html)


def test_it_keeps_the_allowed_formatting():
    source = (
        "## Heading\n\nSome *emphasis*, **strong** and `code`.\n\n- one\n- two\n\n"
        "3. three\n\n> quoted\n\n---\n\n![alt text](/media/a.png)"
    )
    html = render_markdown(source).html
    for fragment in [
        '<h2 id="heading">Heading</h2>',
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<ul>",
        '<ol start="3">',
        "<blockquote>",
        "<hr>",
        '<img src="/media/a.png" alt="alt text" loading="lazy">',
    ]:
        assert fragment in html, fragment


def test_only_external_links_get_noopener_noreferrer():
    html = render_markdown(
        "[out](https://example.com) [plain](http://example.com) [proto](//example.com) "
        "[in](/clinics/) [anchor](#cost) [mail](mailto:hello@example.com)"
    ).html
    assert '<a href="https://example.com" rel="noopener noreferrer">' in html
    assert '<a href="http://example.com" rel="noopener noreferrer">' in html
    assert '<a href="//example.com" rel="noopener noreferrer">' in html
    assert '<a href="/clinics/">' in html
    assert '<a href="#cost">' in html
    assert '<a href="mailto:hello@example.com">' in html


def test_headings_get_unique_slugified_ids_and_a_table_of_contents():
    rendered = render_markdown(
        "## Cost in the UK\n\n## Cost in the UK\n\n### München *area*\n\n## Main\n\n## !!!"
    )
    assert rendered.headings == [
        {"level": 2, "id": "cost-in-the-uk", "text": "Cost in the UK"},
        {"level": 2, "id": "cost-in-the-uk-2", "text": "Cost in the UK"},
        {"level": 3, "id": "munchen-area", "text": "München area"},
        # "main" is the page's own <main id="main">: a heading must not take it.
        {"level": 2, "id": "main-2", "text": "Main"},
        {"level": 2, "id": "section", "text": "!!!"},
    ]
    for heading in rendered.headings:
        assert f'id="{heading["id"]}"' in rendered.html


def test_a_top_level_heading_in_a_body_becomes_h2_so_the_page_keeps_one_h1():
    html = render_markdown("# Title again\n\nText").html
    assert html.startswith('<h2 id="title-again">Title again</h2>')
    assert "<h1" not in html


def test_answers_use_lower_headings_without_ids():
    html = render_markdown("# Big\n\n### Small", top_level=4, anchors=False).html
    assert html == "<h4>Big</h4>\n<h4>Small</h4>\n"


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (100, 1), (440, 2), (1100, 5)])
def test_reading_time_is_at_least_a_minute(words, minutes):
    assert reading_minutes(words) == minutes
