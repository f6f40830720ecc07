from django.urls import path

from . import views
from .models import SitePage

app_name = "pages"

# One fixed address per page, e.g. /about/ named "pages:about": any other root address
# stays with the category pages (articles.urls).
urlpatterns = [
    path(f"{slug}/", views.SitePageView.as_view(), {"slug": slug}, name=slug)
    for slug in SitePage.Slug.values
]
