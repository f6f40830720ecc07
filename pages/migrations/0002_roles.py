from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors keep the site pages: they read and change them in the admin. Nobody adds or
# deletes one (pages.admin): the footer links to all six. Authors and readers get nothing.
GROUP = "Editors"
PERMISSIONS = ["pages.view_sitepage", "pages.change_sitepage"]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Through the link table of this database: the router would send a related manager's
    # write to the primary, where the permissions may have other ids (a test replica).
    through = Group.permissions.through
    for group in Group.objects.using(db).filter(name=GROUP):
        for dotted in PERMISSIONS:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.using(db).get(
                content_type__app_label=app_label, codename=codename
            )
            through.objects.using(db).get_or_create(group_id=group.pk, permission_id=permission.pk)


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for dotted in PERMISSIONS:
        app_label, codename = dotted.split(".")
        Group.permissions.through.objects.using(db).filter(
            group__name=GROUP,
            permission__content_type__app_label=app_label,
            permission__codename=codename,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
