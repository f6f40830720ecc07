from django.urls import path

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("rss/", feeds.LatestArticlesFeed(), name="latest-rss"),
    path("atom/", feeds.atom(feeds.LatestArticlesFeed)(), name="latest-atom"),
    path("categories/<path:path>/rss/", feeds.CategoryFeed(), name="category-rss"),
    path("categories/<path:path>/atom/", feeds.atom(feeds.CategoryFeed)(), name="category-atom"),
    path("tags/<slug:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tags/<slug:slug>/atom/", feeds.atom(feeds.TagFeed)(), name="tag-atom"),
    path("authors/<str:username>/rss/", feeds.AuthorFeed(), name="author-rss"),
    path("authors/<str:username>/atom/", feeds.atom(feeds.AuthorFeed)(), name="author-atom"),
]
