from django.contrib.auth.management import create_permissions
from django.db import migrations

# Medical reviewers sign in to the admin to read what awaits their review and record their
# verdict: they see articles and categories, and change nothing (approving is a permission
# of its own). Editors gain nothing here: a medical approval is the reviewer's alone.
GROUP = "Medical reviewers"
PERMISSIONS = [
    "articles.view_article",
    "articles.review_article",
    "articles.view_category",
    "taggit.view_tag",
]


def create_group(apps, schema_editor):
    db = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    permissions = []
    for dotted in PERMISSIONS:
        app_label, codename = dotted.split(".")
        permissions.append(
            Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)
        )
    # Through the link table of this database: the router would send a related manager's
    # write to the primary, where the permissions may have other ids (a test replica).
    through = Group.permissions.through
    through.objects.using(db).filter(group_id=group.pk).delete()
    through.objects.using(db).bulk_create(
        through(group_id=group.pk, permission_id=permission.pk) for permission in permissions
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name=GROUP
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_pending_versions"),
        ("accounts", "0003_roles"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
