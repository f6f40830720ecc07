from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.demo_content import ARTICLES, AUTHORS, CATEGORIES
from articles.models import Article, Category

# Local-only credentials, printed by the command and listed in README.md.
EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "healthsite-editor"
AUTHOR_PASSWORD = "healthsite-author"


class Command(BaseCommand):
    help = (
        "Create demo categories, people and articles for local use. Safe to run again: "
        "what exists already is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds articles.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles exist already; demo content not loaded.")
            return
        with transaction.atomic():
            categories = self.create_categories(CATEGORIES, parent=None)
            self.create_editor()
            authors = {spec["username"]: self.create_author(spec) for spec in AUTHORS}
            created = sum(
                self.create_article(spec, categories=categories, authors=authors)
                for spec in ARTICLES
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(categories)} categories, {len(authors)} authors, "
                f"{created} new articles."
            )
        )
        self.stdout.write(
            f"Admin at /admin/ as {EDITOR_USERNAME} / {EDITOR_PASSWORD}; authors use "
            f"{AUTHOR_PASSWORD}. For local use only."
        )

    def create_categories(self, specs, *, parent: Category | None) -> dict:
        """Create the tree depth first; returns every category keyed by its path tuple."""
        created = {}
        prefix = tuple(parent.path.split("/")) if parent else ()
        for position, (slug, name, description, children) in enumerate(specs):
            category, _ = Category.objects.get_or_create(
                parent=parent,
                slug=slug,
                defaults={"name": name, "description": description, "position": position},
            )
            created[(*prefix, slug)] = category
            created.update(self.create_categories(children, parent=category))
        return created

    def create_editor(self) -> None:
        User = get_user_model()
        editor, made = User.objects.get_or_create(
            username=EDITOR_USERNAME,
            defaults={
                "display_name": "Demo Editor",
                "email": "editor@example.com",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if made:
            editor.set_password(EDITOR_PASSWORD)
            editor.save(update_fields=["password"])

    def create_author(self, spec: dict):
        User = get_user_model()
        author, made = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": f"{spec['username']}@example.com",
            },
        )
        if made:
            author.set_password(AUTHOR_PASSWORD)
            author.save(update_fields=["password"])
        return author

    def create_article(self, spec: dict, *, categories: dict, authors: dict) -> bool:
        if Article.objects.filter(slug=spec["slug"]).exists():
            return False
        published = spec["status"] == Article.Status.PUBLISHED
        article = Article.objects.create(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=spec["body"],
            author=authors[spec["author"]],
            category=categories[tuple(spec["category"])],
            status=spec["status"],
            published_at=timezone.now() - timedelta(days=spec["days_ago"]) if published else None,
        )
        article.tags.set(spec["tags"])
        return True
