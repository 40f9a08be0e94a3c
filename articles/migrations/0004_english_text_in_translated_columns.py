"""The English text into its own columns (the translations start empty), in one UPDATE a
table: the rows are a few hundred articles and questions."""

from django.db import migrations
from django.db.models import F

ARTICLE_TEXT = ("title", "summary", "body", "hero_alt", "body_html", "toc", "word_count")
FAQ_TEXT = ("question", "answer", "answer_html")
OTHERS = ("de", "es", "fr")


def english_columns(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    FaqEntry = apps.get_model("articles", "FaqEntry")
    Article.objects.update(
        **{f"{name}_en_gb": F(name) for name in ARTICLE_TEXT},
        # AddField filled these with their defaults; unwritten is NULL, so that a
        # translation's readers see English's headings and count until it is written.
        **{f"{name}_{code}": None for name in ("toc", "word_count") for code in OTHERS},
    )
    FaqEntry.objects.update(**{f"{name}_en_gb": F(name) for name in FAQ_TEXT})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_translated_columns"),
    ]

    operations = [
        migrations.RunPython(english_columns, migrations.RunPython.noop, elidable=True),
    ]
