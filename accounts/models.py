from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from healthsite.caching.versions import InvalidatesPages
from healthsite.validators import no_control_characters


class User(InvalidatesPages, AbstractUser):
    """A reader, author, reviewer or editor. Authors are users: their name shows on articles."""

    pages_ignore_fields = frozenset(
        {"last_login", "password", "email_confirmed_at", "notify_comments", "notify_replies"}
    )
    # What public pages show of a person. Rows that go into the shared cache (an article
    # with its author and reviewer) leave out everything else: password hashes, addresses
    # and roles, and any field added later until it is named here.
    PUBLIC_FIELDS = frozenset(
        {
            "id",
            "username",
            "display_name",
            "first_name",
            "last_name",
            "credentials",
            "registration_number",
            "avatar",
            "bio",
        }
    )

    display_name = models.CharField(
        max_length=100,
        blank=True,
        validators=[no_control_characters],
        help_text="The name shown on articles and comments. Leave blank to use the full name.",
    )
    bio = models.TextField(max_length=1000, blank=True, help_text="A few sentences, plain text.")
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown on author pages, e.g. “MD, neurologist”. Set by editors.",
    )
    registration_number = models.CharField(
        max_length=100,
        blank=True,
        help_text="Optional professional registration, e.g. “GMC 1234567”.",
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notify_comments = models.BooleanField(
        default=False,
        help_text="Email me when a comment appears on an article I wrote.",
    )
    notify_replies = models.BooleanField(
        default=False,
        help_text="Email me when someone replies to my comments; the default for new comments.",
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message="Another account uses this email address.",
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"username": self.username})

    @classmethod
    def private_fields(cls) -> list[str]:
        return [f.name for f in cls._meta.concrete_fields if f.name not in cls.PUBLIC_FIELDS]

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def writes_articles(self) -> bool:
        """An author: may write articles, or has. Readers have no articles to hear about."""
        return self.has_perm("articles.add_article") or self.articles.exists()

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None
