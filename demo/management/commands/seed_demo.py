from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from articles.editorial.content import refresh_content_hash
from articles.editorial.pending import is_live, start_pending_version
from articles.editorial.review import REVIEWERS_GROUP
from articles.editorial.workflow import submit_for_review
from articles.models import Article, Category, Reference
from conditions.models import Condition
from demo.content import (
    ARTICLES,
    AUTHORS,
    CATEGORIES,
    CONDITIONS,
    MEDICAL_CATEGORIES,
    PENDING_CHANGE,
    REVIEWERS,
    CategorySpec,
)

# Local-only credentials, printed by the command and listed in README.md.
EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "healthsite-editor"
MODERATOR_USERNAME = "moderator"
MODERATOR_PASSWORD = "healthsite-moderator"
AUTHOR_PASSWORD = "healthsite-author"
REVIEWER_PASSWORD = "healthsite-reviewer"
READER_USERNAME = "reader"
READER_PASSWORD = "healthsite-reader"


class Command(BaseCommand):
    help = (
        "Create demo categories, people and articles for local use. Safe to run again: "
        "what exists already is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds articles.",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles exist already; demo content not loaded.")
            return
        with transaction.atomic():
            categories = self.create_categories(CATEGORIES, parent=None)
            for path in MEDICAL_CATEGORIES:
                categories[path].is_medical = True
                categories[path].save()  # the categories below learn it too
            categories = {key: Category.objects.get(pk=node.pk) for key, node in categories.items()}
            editor = self.create_user(
                username=EDITOR_USERNAME,
                password=EDITOR_PASSWORD,
                role="Editors",
                display_name="Demo Editor",
            )
            self.create_user(
                username=MODERATOR_USERNAME,
                password=MODERATOR_PASSWORD,
                role="Moderators",
                display_name="Demo Moderator",
            )
            self.create_user(
                username=READER_USERNAME, password=READER_PASSWORD, display_name="Demo Reader"
            )
            authors = {
                spec["username"]: self.create_user(
                    username=spec["username"],
                    password=AUTHOR_PASSWORD,
                    role="Authors",
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    credentials=spec["credentials"],
                    bio=spec.get("bio", ""),
                )
                for spec in AUTHORS
            }
            # Reviewers sign in to the admin to read what awaits them and give their verdict.
            reviewers = [
                self.create_user(
                    username=spec.pop("username"),
                    password=REVIEWER_PASSWORD,
                    role=REVIEWERS_GROUP,
                    **spec,
                )
                for spec in (dict(spec) for spec in REVIEWERS)
            ]
            created = sum(
                self.create_article(
                    spec, categories=categories, authors=authors, reviewer=reviewers[0]
                )
                for spec in ARTICLES
            )
            self.create_pending_change(editor=editor, reviewer=reviewers[0])
            conditions = sum(self.create_condition(spec) for spec in CONDITIONS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(categories)} categories, {len(authors)} authors, "
                f"{created} new articles, {conditions} new conditions."
            )
        )
        self.stdout.write(
            "Demo sign-ins, for local use only:\n"
            f"  editor     {EDITOR_USERNAME} / {EDITOR_PASSWORD} (admin at /admin/)\n"
            f"  moderator  {MODERATOR_USERNAME} / {MODERATOR_PASSWORD}\n"
            f"  authors    {', '.join(authors)} / {AUTHOR_PASSWORD}\n"
            f"  reviewer   {', '.join(user.username for user in reviewers)} / {REVIEWER_PASSWORD}"
            " (admin at /admin/)\n"
            f"  reader     {READER_USERNAME} / {READER_PASSWORD}"
        )

    def create_categories(
        self, specs: list[CategorySpec], *, parent: Category | None
    ) -> dict[tuple[str, ...], Category]:
        """Create the tree depth first; returns every category keyed by its path tuple."""
        created: dict[tuple[str, ...], Category] = {}
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

    def create_user(
        self, *, username: str, password: str, role: str | None = None, **profile: Any
    ) -> User:
        """A confirmed account; staff with its role's group when it has a role."""
        user, made = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "email_confirmed_at": timezone.now(),
                "is_staff": role is not None,
                **profile,
            },
        )
        if made:
            user.set_password(password)
            user.save(update_fields=["password"])
            if role:
                user.groups.add(Group.objects.get(name=role))
        return user

    def create_article(
        self,
        spec: dict[str, Any],
        *,
        categories: dict[tuple[str, ...], Category],
        authors: dict[str, User],
        reviewer: User,
    ) -> bool:
        if Article.objects.filter(slug=spec["slug"]).exists():
            return False
        category = categories[tuple(spec["category"])]
        published = spec["status"] == Article.Status.PUBLISHED
        published_at = timezone.now() - timedelta(days=spec["days_ago"]) if published else None
        # Articles under a medical category are checked before they go out.
        reviewed_on = None
        if published_at is not None and category.needs_medical_review():
            reviewed_on = (published_at - timedelta(days=1)).date()
        article = Article(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=spec["body"],
            author=authors[spec["author"]],
            category=category,
            status=spec["status"],
            published_at=published_at,
            reviewer=reviewer if reviewed_on else None,
            reviewed_on=reviewed_on,
        )
        article.save()
        for number, reference in enumerate(spec.get("references", []), start=1):
            Reference.objects.create(article=article, number=number, **reference)
        article.tags.set(spec["tags"])
        article.update_search_index()
        return True

    def create_condition(self, spec: dict[str, Any]) -> bool:
        """A condition of the Health A to Z, linked to the demo articles about it. One that
        exists already is left as it is, links included: an editor may have changed them."""
        if Condition.objects.filter(slug=spec["slug"]).exists():
            return False
        fields = {key: value for key, value in spec.items() if key != "articles"}
        condition = Condition(**fields)
        condition.full_clean()  # the codes are checked as the admin checks them
        condition.save()
        condition.articles.add(
            *Article.objects.filter(slug__in=spec["articles"], live__isnull=True)
        )
        return True

    def create_pending_change(self, *, editor: User, reviewer: User) -> None:
        """A change to a published article in a medical category, submitted by its author
        and assigned to the demo reviewer: what awaits a review on the reviewer's desk.
        Left alone once it exists, and not made again once it was published."""
        live = Article.objects.filter(slug=PENDING_CHANGE["slug"], live__isnull=True).first()
        if live is None or not is_live(live) or PENDING_CHANGE["addition"] in live.body:
            return
        # The article's pending version if it has one already (a second run), else a new one.
        version = start_pending_version(article=live, by=editor)
        if version.status != Article.Status.DRAFT or version.change_summary:
            return
        version.body = f"{live.body.rstrip()}\n\n{PENDING_CHANGE['addition']}"
        version.change_summary = PENDING_CHANGE["summary"]
        # A reviewer made by an older seed_demo is in no group and cannot be assigned
        # (any medical reviewer then reviews it): existing accounts are left as they are.
        if reviewer.groups.filter(name=REVIEWERS_GROUP).exists():
            version.assigned_reviewer = reviewer
        submit_for_review(article=version, by=live.author)
        refresh_content_hash(version)
