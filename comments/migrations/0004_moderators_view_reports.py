from django.db import migrations

from healthsite.role_migrations import grant_permissions

# Moderators decide on reported comments, so they read the reports: why, who and when
# (the comment's admin page lists them). Editors, who moderate too, gain the same.
PERMISSIONS = {"Moderators": ["comments.view_report"], "Editors": ["comments.view_report"]}


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_notified_at"),
        ("accounts", "0003_roles"),
    ]

    operations = [grant_permissions(PERMISSIONS)]
