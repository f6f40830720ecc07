"""One of every kind of page readers see, for the tests that check them all alike
(valid HTML, reflow at 320 px)."""

from dataclasses import dataclass

from tests.factories import make_article, make_category, make_comment, make_user


@dataclass(frozen=True)
class PageKind:
    name: str
    url: str
    # Who looks at it: None for a visitor who is not signed in, else a username.
    viewer: str | None = None
    status: int = 200


def make_page_kinds() -> list[PageKind]:
    """Content for every page kind, and the pages to look at."""
    health = make_category(name="Health", slug="health")
    recovery = make_category(name="Recovery", slug="recovery", parent=health)
    author = make_user(
        username="amara", display_name="Amara Okafor", credentials="MD, neurologist", bio="Writes."
    )
    article = make_article(
        title="Walking again after a stroke",
        slug="walking-again",
        body="## First steps\n\nShort walks, every day.\n\n## Later\n\nLonger ones.\n",
        author=author,
        category=recovery,
        tags=["walking", "stroke"],
    )
    make_article(title="Sleeping well", category=recovery, tags=["walking"], author=author)
    reader = make_user(username="sam", display_name="Sam Reader")
    other = make_user(username="jo", display_name="Jo")
    top = make_comment(article=article, user=other, body="This helped me, thank you.")
    make_comment(article=article, user=reader, body="Same here.", parent=top)
    make_comment(article=article, user=reader, body="A question: how far at first?")
    return [
        PageKind("home", "/"),
        PageKind("category", "/health/recovery/"),
        PageKind("tag", "/tags/walking/"),
        PageKind("author", "/authors/amara/"),
        PageKind("search", "/search/"),
        PageKind("search-results", "/search/?q=walking"),
        PageKind("search-no-results", "/search/?q=zebra"),
        PageKind("article", "/articles/walking-again/"),
        PageKind("article-signed-in", "/articles/walking-again/", viewer="sam"),
        PageKind("sign-in", "/accounts/login/?next=/articles/walking-again/%23comment-form"),
        PageKind("sign-up", "/accounts/signup/"),
        PageKind("profile", "/accounts/profile/", viewer="sam"),
        PageKind("report", f"/comments/{top.pk}/report/", viewer="sam"),
        PageKind("site-page", "/editorial-policy/"),  # made by pages' migrations
        PageKind("not-found", "/no/such/page/", status=404),
    ]
