from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_article_next_review_override"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "scheduled"])),
                fields=["category", "-published_at", "-id"],
                name="article_public_category_newest",
            ),
        ),
        # django-taggit's table has no index that answers "which objects carry these tags"
        # on its own; this one does (an index-only scan), for related articles and tag pages.
        migrations.RunSQL(
            "CREATE INDEX taggeditem_tag_object "
            "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            "DROP INDEX taggeditem_tag_object",
        ),
    ]
