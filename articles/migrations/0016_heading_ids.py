from django.db import migrations

# Derived fields: computing them with today's code is always right, so importing it here
# is safe (unlike copying a rule that must stay as it was).
from articles.markdown import unclash_heading_ids
from articles.reading import table_of_contents


def unclash_stored_heading_ids(apps, schema_editor):
    """Bodies saved before headings were kept off the page's own ids (a "## Comments"
    heading took id="comments"). Only heading ids change, so the stored HTML is fixed in
    place: re-rendering would need each body's images, which a migration cannot look up."""
    db = schema_editor.connection.alias
    Article = apps.get_model("articles", "Article")
    changed = []
    for article in Article.objects.using(db).only("body_html", "toc").iterator(chunk_size=500):
        body_html = unclash_heading_ids(article.body_html)
        if body_html != article.body_html:
            article.body_html = body_html
            article.toc = table_of_contents(body_html)
            changed.append(article)
    Article.objects.using(db).bulk_update(changed, ["body_html", "toc"], batch_size=500)

    Disclaimer = apps.get_model("articles", "Disclaimer")
    for disclaimer in Disclaimer.objects.using(db).only("text_html"):
        text_html = unclash_heading_ids(disclaimer.text_html)
        if text_html != disclaimer.text_html:
            disclaimer.text_html = text_html
            disclaimer.save(update_fields=["text_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_public_newest_index"),
    ]

    operations = [
        migrations.RunPython(unclash_stored_heading_ids, migrations.RunPython.noop),
    ]
