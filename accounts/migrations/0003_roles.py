from django.contrib.auth.management import create_permissions
from django.db import migrations


# The editorial roles, each with exactly the permissions it needs. A later change of roles
# belongs in a new migration, so this list stays as it was when written.
ROLE_PERMISSIONS = {
    # Everything about articles, categories, tags and comments, authors' profiles, and
    # publishing, which no other role can do.
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_category",
        "articles.change_category",
        "articles.delete_category",
        "articles.view_category",
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "taggit.view_tag",
        "comments.change_comment",
        "comments.delete_comment",
        "comments.view_comment",
        "accounts.change_user",
        "accounts.view_user",
    ],
    # Write articles and change their own; the admin shows them nothing else's.
    "Authors": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_category",
        "taggit.view_tag",
    ],
    "Moderators": [
        "comments.change_comment",
        "comments.delete_comment",
        "comments.view_comment",
    ],
}


def create_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are normally made after all migrations; make them now so that the
    # groups can refer to them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.using(db).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        # Through the link table of this database: a related manager's write goes where the
        # router sends it (the primary), which would give the primary this database's
        # permission ids when a second database (a test replica) is migrated.
        through = Group.permissions.through
        through.objects.using(db).filter(group_id=group.pk).delete()
        through.objects.using(db).bulk_create(
            through(group_id=group.pk, permission_id=permission.pk) for permission in permissions
        )


def remove_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("auth", "Group").objects.using(db).filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile"),
        ("articles", "0002_publish_permission"),
        ("comments", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
