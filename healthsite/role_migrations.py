"""Giving the role groups permissions, from an app's data migration.

Every app that adds a permission a role needs writes one migration whose only operation is
`grant_permissions({"Editors": ["pages.change_sitepage", ...]})`. Run forwards, it makes the
permissions of every app known to this migration state first (Django makes them only after
the whole `migrate`), then links each group that exists to them; run backwards, it unlinks
them. Groups that do not exist yet are left alone: accounts/migrations/0003_roles.py makes
them.

The links are written to the group-permission table of the migrated database itself: the
read-replica router would send a related manager's write to the primary, where the
permissions may have other ids (as in the tests' stand-in replica).

Migrations call this: keep what it does for a given argument as it is.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_permissions(grants: Mapping[str, Sequence[str]]) -> migrations.RunPython:
    """An operation that gives each named group its permissions ("app_label.codename")."""

    def links(apps: Any, db: str, name: str, dotted: str) -> Any:
        Group = apps.get_model("auth", "Group")
        app_label, codename = dotted.split(".")
        return Group.permissions.through.objects.using(db).filter(
            group__name=name,
            permission__content_type__app_label=app_label,
            permission__codename=codename,
        )

    def grant(apps: Any, schema_editor: Any) -> None:
        db = schema_editor.connection.alias
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0, using=db)
            app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        through = Group.permissions.through
        for name, permissions in grants.items():
            for group in Group.objects.using(db).filter(name=name):
                for dotted in permissions:
                    app_label, codename = dotted.split(".")
                    permission = Permission.objects.using(db).get(
                        content_type__app_label=app_label, codename=codename
                    )
                    through.objects.using(db).get_or_create(
                        group_id=group.pk, permission_id=permission.pk
                    )

    def revoke(apps: Any, schema_editor: Any) -> None:
        db = schema_editor.connection.alias
        for name, permissions in grants.items():
            for dotted in permissions:
                links(apps, db, name, dotted).delete()

    return migrations.RunPython(grant, revoke)
