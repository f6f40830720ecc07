from django.db import migrations

from healthsite.role_migrations import grant_permissions

# Editors keep the site pages: they read and change them in the admin. Nobody adds or
# deletes one (pages.admin): the footer links to all six. Authors and readers get nothing.
GROUP = "Editors"
PERMISSIONS = ["pages.view_sitepage", "pages.change_sitepage"]


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [grant_permissions({GROUP: PERMISSIONS})]
