"""The site pages in the sitemap."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import SitePage


class SitePageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self) -> QuerySet[SitePage]:
        return SitePage.objects.only("slug", "updated_at").order_by("slug")

    def lastmod(self, page: SitePage) -> datetime:
        return page.updated_at


SITEMAPS = {"pages": SitePageSitemap}
