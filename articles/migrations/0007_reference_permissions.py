from django.contrib.auth.management import create_permissions
from django.db import migrations

# References are edited inline on the article, so both roles that write articles need them.
# Authors only ever reach the references of their own articles (the article admin shows
# them nothing else).
ROLE_PERMISSIONS = {
    "Editors": ["add_reference", "change_reference", "delete_reference", "view_reference"],
    "Authors": ["add_reference", "change_reference", "delete_reference", "view_reference"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_references"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
