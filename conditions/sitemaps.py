"""Sitemaps of the Health A to Z: its index page and every condition's page."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import Condition


class ConditionIndexSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[str]:
        return ["conditions:list"]

    def location(self, item: str) -> str:
        return reverse(item)


class ConditionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[Condition]:
        return Condition.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, condition: Condition) -> datetime:
        return condition.updated_at


SITEMAPS = {"a-to-z": ConditionIndexSitemap, "conditions": ConditionSitemap}
