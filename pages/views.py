from django.views.generic import DetailView

from .models import SitePage


class SitePageView(DetailView):
    """One site page; its slug comes from the address (pages.urls), never from the reader."""

    model = SitePage
    context_object_name = "site_page"
    template_name = "pages/sitepage_detail.html"
