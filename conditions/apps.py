from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Health A to Z"

    def ready(self) -> None:
        from .links import follow_article_links

        # A condition's names are part of what search reads for its articles, and its
        # links to them change through the many-to-many manager from either side.
        follow_article_links()
