import pytest

from demo import articles
from demo.articles import read_content, sample_articles, sample_faq


def test_every_content_file_reads_with_its_fields():
    items = sample_articles()
    assert len(items) == 9
    # Oldest first: the first is the template of `load_demo --scale`'s articles.
    assert [a.published for a in items] == sorted(a.published for a in items)
    assert items[0].slug == "what-is-scalp-micropigmentation"
    assert all(a.body and not a.body.startswith("+++") for a in items)
    faq = sample_faq()
    assert len(faq) == 14
    assert [f.slug for f in faq][:2] == ["what-is-smp", "does-smp-look-natural"]
    assert faq[0].category == "understanding-smp" and faq[-1].category is None


def test_front_matter_is_toml_between_plus_lines(tmp_path):
    path = tmp_path / "note.md"
    path.write_text('+++\ntitle = "A title"\nposted = 2025-01-14\n+++\n\nSome *Markdown*.\n')
    fields, body = read_content(path)
    assert fields["title"] == "A title" and str(fields["posted"]) == "2025-01-14"
    assert body == "Some *Markdown*."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Just Markdown.\n", "note.md: no front matter"),
        ('+++\ntitle = "unclosed\n+++\n\nText.\n', "note.md: "),
    ],
)
def test_a_file_without_readable_front_matter_is_refused(tmp_path, text, message):
    (tmp_path / "note.md").write_text(text)
    with pytest.raises(ValueError, match=message):
        read_content(tmp_path / "note.md")


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ('question = "Q?"\norder = 1\ncolour = "red"', "colour"),
        ('question = "Q?"', "order"),
    ],
)
def test_an_unknown_or_missing_field_names_the_file(tmp_path, monkeypatch, front, message):
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "01-note.md").write_text(f"+++\n{front}\n+++\n\nAn answer.\n")
    monkeypatch.setattr(articles, "CONTENT_DIR", tmp_path)
    with pytest.raises(ValueError, match=rf"01-note\.md: .*{message}"):
        sample_faq()
