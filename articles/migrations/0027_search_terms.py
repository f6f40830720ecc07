import re

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

WORD = re.compile(r"\w{3,}")


def index_words_by_trigram(apps, schema_editor):
    # pg_trgm's GIN index finds the words close to a misspelt one; SQLite compares the
    # (small) vocabulary in Python instead (articles.search.corrected).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX articles_searchterm_word_trgm ON articles_searchterm "
            "USING gin (word gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articles_searchterm_word_trgm")


def fill_vocabulary(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    SearchTerm = apps.get_model("articles", "SearchTerm")
    words = set()
    for title, extra in Article.objects.values_list("title", "search_extra").iterator():
        words.update(
            word
            for word in WORD.findall(f"{title} {extra}".casefold())
            if not word.isdigit() and len(word) <= 100
        )
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word) for word in sorted(words)], batch_size=500, ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0026_text_without_control_characters"),
    ]

    operations = [
        # Does nothing on SQLite: CreateExtension runs on PostgreSQL only.
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
        ),
        migrations.RunPython(index_words_by_trigram, drop_trigram_index, elidable=True),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop, elidable=True),
    ]
