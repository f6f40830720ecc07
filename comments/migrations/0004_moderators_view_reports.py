from django.contrib.auth.management import create_permissions
from django.db import migrations

# Moderators decide on reported comments, so they read the reports: why, who and when
# (the comment's admin page lists them). Editors, who moderate too, gain the same.
GROUPS = ("Moderators", "Editors")
PERMISSION = ("comments", "view_report")


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = PERMISSION
    permission = Permission.objects.using(db).get(
        content_type__app_label=app_label, codename=codename
    )
    # Through the link table of this database: the router would send a related manager's
    # write to the primary, where the permissions may have other ids (a test replica).
    through = Group.permissions.through
    for group in Group.objects.using(db).filter(name__in=GROUPS):
        through.objects.using(db).get_or_create(group_id=group.pk, permission_id=permission.pk)


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    app_label, codename = PERMISSION
    Group.permissions.through.objects.using(db).filter(
        group__name__in=GROUPS,
        permission__content_type__app_label=app_label,
        permission__codename=codename,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_notified_at"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
