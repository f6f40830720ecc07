"""Keyword-only builders for test data: each test makes just what it needs."""

import io
import struct
import zlib
from datetime import datetime, timedelta
from itertools import count

from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image

from accounts.models import User
from articles.editorial.workflow import save_article
from articles.models import Article, Category
from comments.models import Comment

_serial = count(1)


PASSWORD = "a-long-test-password"


def make_user(
    *, username: str | None = None, password: str = PASSWORD, role: str | None = None, **fields
):
    """A user with a confirmed email; `role` ("Editors", "Authors"...) makes them staff in it."""
    username = username or f"user{next(_serial)}"
    fields.setdefault("email", f"{username}@example.com")
    fields.setdefault("email_confirmed_at", timezone.now())
    fields.setdefault("is_staff", role is not None)
    user = User(username=username, **fields)
    user.set_password(password)
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_category(*, name: str | None = None, slug: str | None = None, parent=None, **fields):
    number = next(_serial)
    return Category.objects.create(
        name=name or f"Topic {number}",
        slug=slug or f"topic-{number}",
        parent=parent,
        **fields,
    )


def make_article(
    *,
    title: str | None = None,
    slug: str | None = None,
    body: str = "## What helps\n\nRest, fluids and patience.\n\n- Sleep\n- Water\n",
    summary: str = "A short summary for the list.",
    author=None,
    category=None,
    tags: list[str] | None = None,
    status: str = Article.Status.PUBLISHED,
    published_at: datetime | None = None,
) -> Article:
    number = next(_serial)
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=number)
    article = Article(
        title=title or f"Article number {number}",
        slug=slug or f"article-{number}",
        summary=summary,
        body=body,
        author=author or make_user(),
        category=category or make_category(),
        status=status,
        published_at=published_at,
    )
    # Saved as the admin and the workflow save it: the status settled from the time.
    save_article(article)
    if tags:
        article.tags.set(tags)
        article.update_search_index()
    return article


def make_comment(*, article, user=None, body: str = "Thank you, this helped.", **fields):
    return Comment.objects.create(
        article=article,
        user=user or make_user(),
        body=body,
        status=fields.pop("status", Comment.Status.VISIBLE),
        **fields,
    )


def make_png_claiming(*, width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size: a decompression bomb in a few bytes."""
    output = io.BytesIO()
    Image.new("L", (1, 1)).save(output, format="PNG")
    data = bytearray(output.getvalue())
    # Signature (8 bytes), chunk length (4), b"IHDR" (4), then width and height; the chunk's
    # CRC covers its type and 13 bytes of data.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)
