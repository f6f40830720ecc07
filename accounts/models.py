from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A reader, author or editor. Authors are users: their name shows on articles."""

    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="The name shown on articles and comments. Leave blank to use the full name.",
    )

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username
