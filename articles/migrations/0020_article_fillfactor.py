from django.db import migrations


def leave_room_for_updates(apps, schema_editor):
    """Every comment rewrites its article's stored comment count. With room left on each
    table page, PostgreSQL writes the new row version beside the old one (a "HOT" update)
    and leaves every index alone, the full-text one included; a full page means updating
    them all. New pages get the room; existing ones as they are rewritten."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_article SET (fillfactor = 70)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_article RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_related_article_indexes")]

    operations = [migrations.RunPython(leave_room_for_updates, fill_pages)]
