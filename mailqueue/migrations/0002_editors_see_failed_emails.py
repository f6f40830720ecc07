from django.db import migrations

from healthsite.role_migrations import grant_permissions

# Editors look after the emails the site could not send: they read them, send them again
# (a change) or delete them. Nobody adds one by hand.
PERMISSIONS = {
    "Editors": [
        "mailqueue.view_failedemail",
        "mailqueue.change_failedemail",
        "mailqueue.delete_failedemail",
    ]
}


class Migration(migrations.Migration):
    dependencies = [
        ("mailqueue", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [grant_permissions(PERMISSIONS)]
