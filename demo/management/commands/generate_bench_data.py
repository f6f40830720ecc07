"""Bulk data for the benchmark (`make bench`): many categories, tags, users, articles and
comments, inserted in large batches. Not for a site with real content."""

import io
import random
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from PIL import Image as PillowImage
from taggit.models import Tag, TaggedItem

from accounts.models import User
from articles import reading
from articles.markdown import render_markdown
from articles.models import SEARCH_VECTOR, Article, Category, Reference
from comments.models import Comment
from images.library import add_image
from images.models import Image
from images.processing import process_upload

SIZES = {
    "small": {"articles": 1_000, "comments": 10_000, "categories": 60, "tags": 200, "users": 2_000},
    "large": {
        "articles": 100_000,
        "comments": 1_000_000,
        "categories": 500,
        "tags": 2_000,
        "users": 50_000,
    },
}
BATCH = 5_000
BENCH_ARTICLE_SLUG = "benchmark-article"
BENCH_USER = "bench-reader"
BENCH_PASSWORD = "bench-reader-password"
ARTICLES_PER_AUTHOR = 100
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "fe", "gu", "hi"]


def tag_word(n: int) -> str:
    """A made-up word for tag n, distinct for every n below 14**3: tags that share no word,
    so a search for one tag finds the articles carrying it, as with real tag names."""
    first, rest = divmod(n, len(SYLLABLES) ** 2)
    second, third = divmod(rest, len(SYLLABLES))
    return SYLLABLES[first] + SYLLABLES[second] + SYLLABLES[third]


BODY = """## What to expect

Recovery takes time, and most people notice small gains week by week.

- Rest when you need to
- Move a little every day
- Ask your care team about anything new

## When to ask for help

Call your clinic if symptoms get worse or do not settle. {n}
"""


class Command(BaseCommand):
    help = "Fill an empty database with generated content for the benchmark."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, size: str, seed: int, **options: Any) -> None:
        if Article.objects.exists():
            raise CommandError("The database already holds articles: use an empty one.")
        counts = SIZES[size]
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            categories = self.make_categories(counts["categories"])
            tags = Tag.objects.bulk_create(
                Tag(name=word, slug=word) for word in map(tag_word, range(counts["tags"]))
            )
            users = self.make_users(counts["users"])
            # As on a real site, each author has written a hundred or so articles whatever
            # the size of the site; the benchmark reader (users[0]) writes none.
            authors = users[1 : 1 + counts["articles"] // ARTICLES_PER_AUTHOR]
            picks = [rng.sample(tags, 5) for _ in range(counts["articles"])]
            articles = self.make_articles(counts["articles"], categories, authors, picks)
            self.tag_articles(articles, picks)
            self.make_comments(counts["comments"], articles, users, rng)
            self.dress_benchmark_article(articles[0], author=authors[0])
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # As autovacuum would leave a running site: statistics for the planner, and
            # the visibility map that lets index-only scans skip the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"{size}: {counts} generated in {time.monotonic() - started:.0f} s.")
        )

    def make_categories(self, total: int) -> list[Category]:
        """A three-level tree: roots, children, grandchildren; paths set here because
        bulk_create skips save()."""
        roots = max(1, total // 50)
        per_root = 6
        made: list[Category] = []
        level: list[Category] = []
        for n in range(roots):
            level.append(self.category(parent=None, name=f"Area {n}", slug=f"area-{n}"))
        made += Category.objects.bulk_create(level)
        children = [
            self.category(parent=root, name=f"Field {n}", slug=f"field-{n}")
            for root in made
            for n in range(per_root)
        ]
        made += Category.objects.bulk_create(children)
        leaves_each = max(1, (total - len(made)) // len(children))
        leaves = [
            self.category(parent=child, name=f"Topic {n}", slug=f"topic-{n}")
            for child in children
            for n in range(leaves_each)
        ]
        made += Category.objects.bulk_create(leaves[: total - len(made)], batch_size=BATCH)
        return made

    @staticmethod
    def category(*, parent: Category | None, name: str, slug: str) -> Category:
        category = Category(parent=parent, name=name, slug=slug)
        category._derive_from(parent)  # what save() would do
        return category

    def make_users(self, total: int) -> list[User]:
        password = make_password(BENCH_PASSWORD)
        now = timezone.now()
        users = [
            User(
                username=BENCH_USER,
                email=f"{BENCH_USER}@example.com",
                password=password,
                email_confirmed_at=now,
            )
        ]
        users += [
            User(
                username=f"user{n}",
                email=f"user{n}@example.com",
                display_name=f"Reader {n}",
                password=password,
                email_confirmed_at=now,
            )
            for n in range(1, total)
        ]
        return User.objects.bulk_create(users, batch_size=BATCH)

    def make_articles(
        self,
        total: int,
        categories: list[Category],
        authors: list[User],
        picks: list[list[Tag]],
    ) -> list[Article]:
        """What Article.save() would store, computed here for bulk inserts: rendered body,
        its plain text, and the category and tag names search reads."""
        bodies = []
        for n in range(50):
            html = render_markdown(BODY.format(n=n))
            bodies.append((BODY.format(n=n), html, reading.plain_text(html)))
        now = timezone.now()
        leaves = [category for category in categories if category.path.count("/") == 2]
        articles = []
        for n in range(total):
            body, html, text = bodies[n % len(bodies)]
            category = leaves[n % len(leaves)]
            names = [crumb["name"] for crumb in category.ancestry]
            draft = n % 50 == 49
            articles.append(
                Article(
                    title=f"Generated article {n}",
                    slug=BENCH_ARTICLE_SLUG if n == 0 else f"generated-{n}",
                    summary="A generated summary of a generated article.",
                    body=body,
                    body_html=html,
                    body_text=text,
                    search_extra=" ".join([*names, *(tag.name for tag in picks[n])]),
                    author=authors[n % len(authors)],
                    category=category,
                    status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
                    published_at=None if draft else now - timedelta(minutes=n),
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=BATCH)
        if connection.vendor == "postgresql":
            Article.objects.update(search_vector=SEARCH_VECTOR)
        return articles

    def tag_articles(self, articles: list[Article], picks: list[list[Tag]]) -> None:
        content_type_id = ContentType.objects.get_for_model(Article).pk
        items = []
        for article, chosen in zip(articles, picks, strict=True):
            for tag in chosen:
                items.append(
                    TaggedItem(tag=tag, content_type_id=content_type_id, object_id=article.pk)
                )
            if len(items) >= BATCH:
                TaggedItem.objects.bulk_create(items)
                items = []
        TaggedItem.objects.bulk_create(items)

    def dress_benchmark_article(self, article: Article, *, author: User) -> None:
        """The measured article carries what a real one does: a hero image with its
        renditions, and numbered sources cited in the body."""
        output = io.BytesIO()
        PillowImage.new("RGB", (1600, 900), (70, 130, 120)).save(output, format="JPEG")
        picture = process_upload(SimpleUploadedFile("hero.jpg", output.getvalue()))
        hero = add_image(
            image=Image(alt_text="A quiet path through a park in the morning"),
            picture=picture,
            by=author,
        )
        for number in range(1, 6):
            Reference.objects.create(
                article=article,
                number=number,
                title=f"Source number {number}",
                publisher="A journal",
                year=2024,
                url=f"https://example.org/source-{number}",
            )
        article.hero_image = hero
        article.body += "\nSee the sources [1] [2] [3] [4] [5].\n"
        article.save()

    def make_comments(
        self, total: int, articles: list[Article], users: list[User], rng: random.Random
    ) -> None:
        """30 visible comments on the benchmark article; the rest spread at random, the
        first of them (visible) by the benchmark reader."""
        now = timezone.now()
        html = "<p>Thank you, this was useful to read.</p>"
        bench = articles[0]
        batch = [
            Comment(
                article=bench,
                user=users[1 + n],
                body="Thank you, this was useful to read.",
                body_html=html,
                status=Comment.Status.VISIBLE,
                created_at=now - timedelta(minutes=30 - n),
            )
            for n in range(30)
        ]
        statuses = [Comment.Status.VISIBLE] * 17 + [Comment.Status.PENDING, Comment.Status.HIDDEN]
        others = articles[1:]
        for n in range(total - 30):
            batch.append(
                Comment(
                    article=others[rng.randrange(len(others))],
                    # The benchmark reader is a regular: a comment shown before means
                    # theirs go up at once, through the whole write path.
                    user=users[0] if n == 0 else users[rng.randrange(1, len(users))],
                    body="Thank you, this was useful to read.",
                    body_html=html,
                    status=statuses[n % len(statuses)],
                    created_at=now - timedelta(seconds=n),
                )
            )
            if len(batch) >= BATCH:
                Comment.objects.bulk_create(batch)
                batch = []
        Comment.objects.bulk_create(batch)
        # What Comment.save() keeps up to date, for every article at once.
        visible = (
            Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.VISIBLE)
            .values("article")
            .annotate(total=Count("pk"))
            .values("total")
        )
        Article.objects.update(comment_count=Coalesce(Subquery(visible), 0))
