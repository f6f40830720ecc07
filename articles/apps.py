from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from taggit.models import TaggedItem

        from healthsite.caching.versions import watch_links

        from .tags import follow_tag_links

        # Tags show on article pages and lists, and their links are django-taggit's rows,
        # which no save() of ours writes: changes to them invalidate pages too, and
        # refresh the search index of their articles.
        watch_links(TaggedItem)
        follow_tag_links()
