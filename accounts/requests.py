"""The request of a view that only signed-in users reach."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For type hints only: the request of a view behind @login_required (or in the admin),
    whose `user` is a signed-in User, never AnonymousUser. Nothing makes one: Django passes
    its own HttpRequest, which this describes."""

    user: User
