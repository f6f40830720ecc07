from django.db import migrations

from healthsite.role_migrations import grant_permissions

# Authors read the comments on their own articles in the admin, held and reported ones
# with the reports' reasons, and reply to them. The admin narrows what these permissions
# show to their own articles (comments.rules.comments_in_admin). Moderating stays with
# moderators and editors: authors get no change_comment.
GROUP = "Authors"
PERMISSIONS = ["comments.view_comment", "comments.view_report"]


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_comment_staff_role"),
        ("accounts", "0003_roles"),
    ]

    operations = [grant_permissions({GROUP: PERMISSIONS})]
