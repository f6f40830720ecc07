from django.db import migrations

from healthsite.role_migrations import grant_permissions

# Editors keep the Health A to Z: they add, change and delete conditions, and link them to
# any article. Authors read it, to tag their own articles with the conditions they are
# about in the article form (conditions.admin.ConditionLinkInline checks whose article it
# is); they change no condition.
PERMISSIONS = {
    "Editors": [
        "conditions.add_condition",
        "conditions.change_condition",
        "conditions.delete_condition",
        "conditions.view_condition",
    ],
    "Authors": ["conditions.view_condition"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [grant_permissions(PERMISSIONS)]
