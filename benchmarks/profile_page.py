"""Profile one page through Django's test client, on the benchmark data, with cProfile.

    python benchmarks/profile_page.py [--size small] [--page article] [--signed-in]
        [--nothing-cached] [--requests 50] [--top 25]

Run `make bench` (or `BENCH_ARGS="--sizes small" make bench`) once first: it fills the
benchmark database. The server settings are the benchmark's (benchmarks/run.py:
site_env), so the figures are those of production minus gunicorn; the page is requested
a few times to warm the caches, then profiled. Prints the functions where the time went,
by time spent inside each ("tottime") and with what they call ("cumtime").
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import site_env  # noqa: E402  (the benchmark's own settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=("small", "large"))
    parser.add_argument("--page", default="article", choices=("article", "home", "category"))
    parser.add_argument("--signed-in", action="store_true")
    parser.add_argument("--nothing-cached", action="store_true", help="no fragment cached")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--ours", action="store_true", help="also: our own functions, by cumtime")
    options = parser.parse_args()

    env = site_env(
        options.size,
        page_cache=False,
        fragment_cache=not options.nothing_cached,
        static_root=tempfile.mkdtemp(prefix="healthsite-profile-static-"),
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthsite.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", "--no-input", verbosity=0)  # the pages name hashed files
    from accounts.models import User
    from articles.models import Article
    from demo.management.commands.generate_bench_data import BENCH_ARTICLE_SLUG, BENCH_USER

    article = Article.objects.get(slug=BENCH_ARTICLE_SLUG)
    url = {
        "article": article.get_absolute_url(),
        "home": "/",
        "category": article.category.get_absolute_url(),
    }[options.page]
    client = Client(HTTP_HOST="127.0.0.1")
    if options.signed_in:
        client.force_login(User.objects.get(username=BENCH_USER))
    for _ in range(5):
        assert client.get(url).status_code == 200
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(options.requests):
        client.get(url)
    profile.disable()
    elapsed = (time.perf_counter() - started) / options.requests
    print(f"{url}: {elapsed * 1000:.1f} ms a request in the profiler ({options.requests} requests)")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(options.top)
    stats.sort_stats("cumtime").print_stats(options.top)
    if options.ours:
        ours = rf"^{ROOT}/(?!\.venv)"  # the project's files, not its installed packages
        pstats.Stats(profile).sort_stats("cumtime").print_stats(ours, options.top)


if __name__ == "__main__":
    main()
