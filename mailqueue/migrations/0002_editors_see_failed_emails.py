from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors look after the emails the site could not send: they read them, send them again
# (a change) or delete them. Nobody adds one by hand.
EDITORS = ["view_failedemail", "change_failedemail", "delete_failedemail"]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("mailqueue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.using(db).filter(name="Editors").first()
    if group is None:
        return
    # Through the link table of this database, as accounts' 0003_roles explains.
    through = Group.permissions.through
    through.objects.using(db).bulk_create(
        through(group_id=group.pk, permission_id=permission.pk)
        for permission in Permission.objects.using(db).filter(
            content_type__app_label="mailqueue", codename__in=EDITORS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mailqueue", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
