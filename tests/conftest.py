import pytest
from django.core.cache import cache


def pytest_collection_modifyitems(items):
    """Every test that commits for real (`django_db(transaction=True)`, `transactional_db`
    or `live_server`: browser tests, tests of concurrent transactions) starts from the
    database as the migrations left it, the role groups and their permissions included:
    emptied after each, it is loaded again from a copy taken once (Django's serialized
    rollback). One such test emptying the database the other way would leave rows that the
    next one's copy collides with."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        options = dict(marker.kwargs) if marker is not None else {}
        fixtures = getattr(item, "fixturenames", ())
        if options.get("transaction") or {"transactional_db", "live_server"} & set(fixtures):
            serialized = {**options, "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**serialized), append=False)


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time(django_db_setup):
    """On SQLite the browser tests' server shares the test's one in-memory database
    connection with every request it serves, and SQLite refuses two threads using one
    connection at once ("bad parameter or other API misuse"): there the server answers
    one request at a time (Django then closes each connection after its answer). On
    PostgreSQL each request thread has a connection of its own, as in production."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        # The server's own thread already uses the test's connections (LiveServerThread).
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    if connection.vendor == "sqlite":
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(LiveServerThread, "server_class", OneRequestAtATime)
            yield
    else:
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Hashing passwords properly is slow by design; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Rate-limit counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings, db):
    """Render every page: query counts are about rendering, not the page and fragment
    caches. The
    disclaimer, read from the cache, is loaded once first, as on a running site."""
    from articles.models import Disclaimer

    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    Disclaimer.current_html()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A second test database, "replica1", standing in for a read replica: a separate
    database, so that a test can write different data to each and see where reads go.
    Reads are routed to it only in tests that set DATABASE_REPLICAS."""
    from django.conf import settings
    from django.db import connections

    default = settings.DATABASES["default"]
    test_name = None if "sqlite" in default["ENGINE"] else f"test_{default['NAME']}_replica"
    settings.DATABASES["replica1"] = {**default, "TEST": {"NAME": test_name}}
    # The connection handler reads DATABASES once; let it read them again.
    connections.__dict__.pop("settings", None)
