from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from .tags import follow_tag_links

        # Tags show on article pages and lists, and their links are django-taggit's rows,
        # which no save() of ours writes: changes to them refresh the search index of
        # their articles and invalidate the cached pages.
        follow_tag_links()
