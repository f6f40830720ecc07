"""Hostile input answers 400 or 404 with the site's own page, never a server error.

NUL (which PostgreSQL refuses in text) and invalid UTF-8 are sent, percent-encoded, to every
URL pattern (each parameter filled with them) and to every form the site shows (each field,
as GET parameters and as POST fields), as a visitor, a reader and an editor.
"""

import re
import socket
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from tests.factories import make_article, make_category, make_comment, make_user

BAD_VALUES = ("%00", "%FF", "a%00b", "%C3%28")
OUR_400 = "The address or form could not be read"
OUR_404 = "Page not found"


def url_routes() -> list[str]:
    """Every URL pattern of the site as a path, its parameters left as "{}"."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = _route(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append(prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def _route(pattern) -> str:
    text = str(pattern)
    if text.startswith("^") or text.endswith("$"):  # a regular expression (re_path)
        text = text.removeprefix("^").removesuffix("$").removesuffix("\\Z")
        text = re.sub(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)", "{}", text)
        return text.replace("\\", "")
    return re.sub(r"<[^>]+>", "{}", text)


class Forms(HTMLParser):
    """The forms of a page (action, method, field names), the query links of an admin list
    (its filters and sorting) and the admin's autocomplete widgets."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.query_links: set[str] = set()
        self.autocompletes: set[tuple[str, str, str]] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attributes.get("action") or "",
                    "method": (attributes.get("method") or "get").lower(),
                    "fields": {},
                }
            )
        elif tag in {"input", "select", "textarea", "button"} and self.forms:
            name = attributes.get("name")
            if name:
                self.forms[-1]["fields"][name] = attributes.get("value") or ""
        if tag == "a" and (attributes.get("href") or "").startswith("?"):
            self.query_links.add(attributes["href"])
        if tag == "select" and "data-app-label" in attributes:
            self.autocompletes.add(
                (
                    attributes["data-app-label"],
                    attributes["data-model-name"],
                    attributes["data-field-name"],
                )
            )


def _admin_pages(article) -> list[str]:
    pages = ["/admin/"]
    for model in apps.get_models():
        info = (model._meta.app_label, model._meta.model_name)
        for name in ("changelist", "add"):
            try:
                pages.append(reverse("admin:{}_{}_{}".format(*info, name)))
            except NoReverseMatch:
                continue
    pages.append(reverse("admin:articles_article_change", args=[article.pk]))
    return pages


@pytest.fixture
def site(db):
    category = make_category(name="Health", slug="health")
    author = make_user(username="writer", role="Authors")
    article = make_article(author=author, category=category, tags=["knee"])
    make_comment(article=article)
    return article


def _people():
    return {
        "visitor": None,
        "reader": make_user(username="reader"),
        "editor": make_user(username="editor", role="Editors"),
    }


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _assert_ours(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if response.status_code in {400, 404} and not response.streaming:
        # Our own page (ours refuses NUL; views refuse what they cannot find or read).
        assert "· healthsite</title>" in response.content.decode(), what


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_every_url_pattern_refuses_bad_parameters(site, bad):
    routes = url_routes()
    assert "articles/{}/" in routes and "feeds/authors/{}/rss/" in routes
    for who, user in _people().items():
        client = _client(user)
        for route in routes:
            path = "/" + route.replace("{}", bad)
            response = client.get(path)
            _assert_ours(response, f"{who} GET {path}")
            response = client.get(f"{path}?q={bad}")
            _assert_ours(response, f"{who} GET {path}?q={bad}")


def test_nul_in_a_path_answers_our_400(site):
    client = Client(raise_request_exception=False)
    for path in (
        "/authors/a%00b/",
        "/health%00/",
        "/feeds/categories/health%00/rss/",
        "/feeds/authors/a%00b/atom/",
        "/search/?q=knee%00",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert OUR_400 in response.content.decode()


def _crawl(client: Client, pages: list[str]) -> list[tuple[str, Forms]]:
    seen = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        seen.append((page, parser))
    return seen


def _encoded(fields: dict[str, str], bad: str) -> str:
    """The form's fields as a query string, every one but the CSRF token set to `bad`."""
    return "&".join(
        f"{name}={value if name == 'csrfmiddlewaretoken' else bad}"
        for name, value in fields.items()
    )


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_every_form_refuses_bad_fields(site, bad):
    public = [
        "/",
        site.get_absolute_url(),
        site.category.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "knee"}),
        site.author.get_absolute_url(),
        reverse("articles:search") + "?q=knee",
        reverse("login"),
        reverse("accounts:signup"),
        reverse("accounts:profile"),
        reverse("accounts:delete"),
        reverse("accounts:resend-confirmation"),
        reverse("password_reset"),
        reverse("password_change"),
    ]
    forms_tried = 0
    for who, user in _people().items():
        client = _client(user)
        pages = public + (_admin_pages(site) if who == "editor" else [])
        for page, parser in _crawl(client, pages):
            for form in parser.forms:
                action = form["action"] or page.split("?")[0]
                if urlsplit(action).netloc:
                    continue
                query = _encoded(form["fields"], bad)
                response = client.get(f"{action.split('?')[0]}?{query}")
                _assert_ours(response, f"{who} GET {action} from {page}")
                if form["method"] == "post":
                    response = client.post(
                        action, query, content_type="application/x-www-form-urlencoded"
                    )
                    _assert_ours(response, f"{who} POST {action} from {page}")
                    fields = {
                        name: value if name == "csrfmiddlewaretoken" else "x\x00y"
                        for name, value in form["fields"].items()
                    }
                    response = client.post(action, fields)  # multipart, as with a file field
                    _assert_ours(response, f"{who} POST multipart {action} from {page}")
                forms_tried += 1
            for link in parser.query_links:  # the admin's list filters and sorting
                query = re.sub(r"=[^&]*", f"={bad}", link)
                response = client.get(page.split("?")[0] + query)
                _assert_ours(response, f"{who} GET {page}{query}")
            for app_label, model_name, field_name in parser.autocompletes:
                response = client.get(
                    reverse("admin:autocomplete"),
                    query_params={
                        "app_label": app_label,
                        "model_name": model_name,
                        "field_name": field_name,
                    },
                    QUERY_STRING=f"app_label={app_label}&model_name={model_name}"
                    f"&field_name={field_name}&term={bad}",
                )
                _assert_ours(response, f"{who} autocomplete {model_name}.{field_name}")
    # The crawl reached the site's forms, the admin's included.
    assert forms_tried > 30


@pytest.mark.parametrize("bad", ["%00", "%FF"])
def test_admin_filter_and_autocomplete_refuse_bad_values(site, bad):
    client = _client(make_user(username="editor", role="Editors"))
    changelist = reverse("admin:articles_article_changelist")
    for query in (f"status__exact={bad}", f"q={bad}", f"category__id__exact={bad}"):
        response = client.get(f"{changelist}?{query}")
        assert response.status_code == 400, query
        assert OUR_400 in response.content.decode()
    response = client.get(
        reverse("admin:autocomplete"),
        QUERY_STRING=f"app_label=articles&model_name=article&field_name=category&term={bad}",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("length", [256, 100_000])
def test_a_very_long_username_at_sign_in_is_refused_clearly(site, length):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": "a" * length, "password": "x" * 20})
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    # Nothing too long for the sign-in records was stored: the form refused it first.
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username__startswith="aaa").exists()
    # The admin's own sign-in form limits nothing: the failure is recorded, cut short.
    response = client.post(reverse("admin:login"), {"username": "a" * length, "password": "x"})
    assert response.status_code == 200
    assert "Please enter the correct" in response.content.decode()
    assert AccessAttempt.objects.get().username == "a" * 255


@pytest.mark.django_db(transaction=True)
def test_a_body_shorter_than_its_content_length_is_refused(live_server):
    host, port = urlsplit(live_server.url).netloc.split(":")
    for content_type, body in (
        ("application/x-www-form-urlencoded", b"username=a&password=b"),
        ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="a"'),
    ):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n"
                + f"Content-Type: {content_type}\r\nContent-Length: 5000\r\n".encode()
                + b"Connection: close\r\n\r\n"
                + body
            )
            connection.shutdown(socket.SHUT_WR)  # the body ends here, short of its length
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        status = answer.split(b"\r\n", 1)[0]
        assert status == b"HTTP/1.1 400 Bad Request", (content_type, status)
        assert OUR_400.encode() in answer


# Control characters: XML cannot hold them, so one in a feed's text stopped every feed.
ESC, BEL = "\x1b", "\x07"
CONTROL_MESSAGE = "holds a control character"


def test_feeds_leave_out_control_characters_stored_before_they_were_refused(site):
    import feedparser  # type: ignore[import-untyped]  # ships no type hints or stubs
    from taggit.models import Tag

    from accounts.models import User
    from articles.models import Article, Category

    # As old rows hold them: written without the forms' checks.
    Article.objects.filter(pk=site.pk).update(title=f"Knee pain{ESC}[31m", summary=f"Rest{BEL}")
    Category.objects.filter(pk=site.category_id).update(name=f"Health{ESC}")
    User.objects.filter(pk=site.author_id).update(display_name=f"Amara{BEL} Okafor")
    Tag.objects.filter(name="knee").update(name=f"knee{ESC}")
    client = Client(raise_request_exception=False)
    for address in (
        reverse("feeds:latest-rss"),
        reverse("feeds:latest-atom"),
        reverse("feeds:category-rss", kwargs={"path": "health"}),
        reverse("feeds:author-atom", kwargs={"username": "writer"}),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert ESC not in response.text and BEL not in response.text
        entry = feedparser.parse(response.content).entries[0]
        assert entry.title == "Knee pain[31m"
        assert entry.author == "Amara Okafor"
        assert {tag.term for tag in entry.tags} == {"Health", "knee"}


def test_a_control_character_in_a_display_name_is_refused(site):
    client = Client()
    client.force_login(site.author)
    response = client.post(
        reverse("accounts:profile"), {"display_name": f"Amara{ESC}[5m", "bio": "Physio."}
    )
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.text
    site.author.refresh_from_db()
    assert site.author.display_name == ""
    # Tabs and line breaks are ordinary text.
    response = client.post(reverse("accounts:profile"), {"display_name": "Amara\tOkafor"})
    site.author.refresh_from_db()
    assert site.author.display_name == "Amara\tOkafor"


def test_control_characters_in_titles_categories_and_tags_are_refused_in_the_admin(site):
    from taggit.models import Tag

    from articles.models import Category
    from tests.articles.editorial.admin_forms import admin_form

    editor = make_user(username="editor", role="Editors")
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_category_add"),
        {"name": f"Knees{BEL}", "slug": "knees", "position": 0, "review_period_months": 12},
    )
    assert response.status_code == 200 and CONTROL_MESSAGE in response.text
    assert not Category.objects.filter(slug="knees").exists()

    draft = make_article(author=editor, status="draft", category=site.category)
    for field, value in (("title", f"Knees{ESC}"), ("summary", f"Sum{BEL}"), ("tags", f"a{ESC}")):
        response = client.post(
            reverse("admin:articles_article_change", args=[draft.pk]),
            admin_form(draft, **{field: value}),
        )
        assert response.status_code == 200, field
        assert CONTROL_MESSAGE in response.text, field
    draft.refresh_from_db()
    assert ESC not in draft.title and not draft.tags.exists()

    tag = Tag.objects.get(name="knee")
    response = client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {
            "name": f"knee{ESC}",
            "slug": "knee",
            **_empty_inline("taggit-taggeditem-content_type-object_id"),
        },
    )
    assert response.status_code == 200 and CONTROL_MESSAGE in response.text
    tag.refresh_from_db()
    assert tag.name == "knee"


def _empty_inline(prefix: str) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


# Long addresses: the page cache's key holds the address.


def test_a_long_address_is_cached_without_a_cache_key_warning(site, settings):
    import warnings

    from django.core.cache import CacheKeyWarning

    settings.PAGE_CACHE_SECONDS = 60
    client = Client()
    long_query = "knee " * 150
    address = reverse("articles:search") + "?q=" + long_query.replace(" ", "+")
    other = address + "x"  # as long, and another page: its own key
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = client.get(address)
        again = client.get(address)
        different = client.get(other)
    assert [w.message for w in caught if issubclass(w.category, CacheKeyWarning)] == []
    assert first.status_code == 200 and "X-Page-Cache" not in first.headers
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "X-Page-Cache" not in different.headers
