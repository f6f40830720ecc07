from django.conf import settings
from django.conf.urls.static import static as serve_static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from accounts.forms import QueuedPasswordResetForm, SignInForm
from articles.sitemaps import SITEMAPS as ARTICLE_SITEMAPS
from conditions.sitemaps import SITEMAPS as CONDITION_SITEMAPS
from pages.sitemaps import SITEMAPS as PAGE_SITEMAPS

# The 500 page says whether anyone was told (ADMINS).
handler500 = "healthsite.error_pages.server_error"

SITEMAPS = {**ARTICLE_SITEMAPS, **CONDITION_SITEMAPS, **PAGE_SITEMAPS}

admin.site.site_header = "healthsite editors"
admin.site.site_title = "healthsite admin"


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers ask for /favicon.ico on pages that name no icon, such as the admin's.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the app answers. Touches no database or cache on purpose; the
    benchmark uses it as the ceiling of what the server and middleware can do."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("favicon.ico", favicon),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("feeds/", include("articles.feed_urls")),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("accounts.urls")),
    path("comments/", include("comments.urls")),
    path("conditions/", include("conditions.urls")),
    # Uploaded files (avatars) when running locally; production serves MEDIA_URL elsewhere.
    *serve_static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    # Before the articles' catch-all category address: /about/ and the other site pages.
    path("", include("pages.urls")),
    path("", include("articles.urls")),
]
