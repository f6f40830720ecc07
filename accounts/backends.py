from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User

# An email address's longest (RFC 5321); usernames are shorter.
LONGEST_NAME = 254


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username or an email address (either in any letter case)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        # No username or address is longer: a longer name (the admin's sign-in form sends
        # whatever it is given) is not looked up, as SQLite refuses a LIKE that long.
        user = (
            User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username))
            .order_by("pk")
            .first()
            if len(username) <= LONGEST_NAME
            else None
        )
        if user is None:
            # Hash anyway so that a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
