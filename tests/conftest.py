import pytest
from django.core.cache import cache


def pytest_collection_modifyitems(items):
    """Every test that commits for real (`django_db(transaction=True)`: browser tests, and
    tests of concurrent transactions) starts from the database as the migrations left it,
    the role groups and their permissions included: emptied after each, it is loaded again
    from a copy taken once (Django's serialized rollback). One such test emptying the
    database the other way would leave rows that the next one's copy collides with."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            serialized = pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True})
            item.add_marker(serialized, append=False)


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
