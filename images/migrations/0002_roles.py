from django.contrib.auth.management import create_permissions
from django.db import migrations

# Authors add pictures to the library and describe them; removing one (it may be used on
# any article) is for editors.
ROLE_PERMISSIONS = {
    "Editors": ["add_image", "change_image", "delete_image", "view_image"],
    "Authors": ["add_image", "change_image", "view_image"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("images")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="images", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
