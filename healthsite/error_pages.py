"""The 500 page, saying whether anyone was told (healthsite.urls names it handler500)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponseServerError:
    """Django's server_error, and whether the error went to someone: Django's
    mail_admins handler emails ADMINS with DEBUG off, and nobody when ADMINS is empty.
    Rendered without the request's context on purpose, like Django's: what broke may be
    a context processor."""
    told = bool(settings.ADMINS) and not settings.DEBUG
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"admins_told": told}))
