"""Benchmark the site as it runs in production, and write the results under docs/.

    python benchmarks/run.py [--sizes small large] [--duration 10]

For each data size: a PostgreSQL database is filled once with generated content
(`manage.py generate_bench_data`), the site is served by gunicorn with 2 sync workers
(DEBUG off, Redis cache, WhiteNoise), and wrk drives each page from a second process on
loopback for a bounded time. Throughput is reported as a share of the "ceiling": a trivial
view through the same server and middleware, measured in the same run, because the
machines are noisy and ratios are what compare over time. For the same reason each size
has its own server, all running at once, and each page is measured at every size back to
back: the large-to-small ratio of a page compares two measurements seconds apart.
"""

import argparse
import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
SIZES = ("small", "large")
CONCURRENCY = 8
POST_CONCURRENCY = 16
# Machine CPU per request: this many requests one after another, in this many batches, of
# which the cheapest counts: other work on the machine only ever adds busy time, so the
# batch that met the least of it is the closest to what the requests cost.
CPU_REQUESTS = 100
CPU_BATCHES = 5

TARGETS: dict[str, Any] = {
    "queries": {"home": 5, "category": 5, "article": 6, "article_signed_in": 4},
    # Shares of the ceiling: by machine CPU per request, the steadier figure (req/s beside it).
    "uncached_article_share": 0.08,  # its row and shared fragments cached
    "bare_article_share": 0.06,  # nothing cached: the first reader after a change
    "signed_in_article_share": 0.15,
    "cached_share": 0.80,
    "size_ratio": 1.3,
    "post_p99_ms": 120,
}

# What each page's measurement runs: the URL and how the request is made.
PROBE = r"""
import json, sys
from urllib.parse import urlencode
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.middleware.csrf import _get_new_csrf_string
from accounts.models import User
from articles.models import Article
from demo.management.commands.generate_bench_data import BENCH_ARTICLE_SLUG, BENCH_USER

article = Article.objects.get(slug=BENCH_ARTICLE_SLUG)
# Each run starts from the article's own 30 comments: those an earlier run posted go.
from comments.models import Comment, recount_comments
Comment.objects.filter(article=article, body="Benchmark comment text").delete()
recount_comments(article)
# The signed-in reader has two comments of their own among the 30: an older one, and the
# newest, still inside the edit window, so their page carries its edit and delete controls.
from django.utils import timezone
reader = User.objects.get(username=BENCH_USER)
shown = list(Comment.objects.filter(article=article, status="visible").order_by("created_at"))
Comment.objects.filter(pk__in=[shown[10].pk, shown[-1].pk]).update(user=reader)
Comment.objects.filter(pk=shown[-1].pk).update(created_at=timezone.now())
from healthsite.caching.versions import invalidate_pages
invalidate_pages()  # a bulk delete bypasses Comment.delete(), which would do it
category = article.category.parent  # a category page with sub-categories below it
pages = {
    "ceiling": "/healthz",
    "home": "/",
    "category": category.get_absolute_url(),
    "article": article.get_absolute_url(),
    "tag": "/tags/" + article.tags.first().slug + "/",
    "author": article.author.get_absolute_url(),
    # A topic as readers type it: the name of one of the article's tags.
    "search": "/search/?" + urlencode({"q": article.tags.first().name}),
    "feed": "/feeds/rss/",
}
result = {"pages": {}}
anonymous = Client(HTTP_HOST="127.0.0.1")
signed_in = Client(HTTP_HOST="127.0.0.1")
signed_in.force_login(User.objects.get(username=BENCH_USER))
for name, url in pages.items():
    anonymous.get(url)  # warm, as on a running site (the disclaimer is read from the cache)
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(url)
    assert response.status_code == 200, (name, url, response.status_code)
    result["pages"][name] = {"url": url, "queries": len(queries), "bytes": len(response.content)}
from django.test import override_settings
with override_settings(FRAGMENT_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
    response = anonymous.get(pages["article"])
result["pages"]["article_no_fragments"] = {
    "url": pages["article"], "queries": len(queries), "bytes": len(response.content)}
signed_in.get(pages["article"])
with CaptureQueriesContext(connection) as queries:
    response = signed_in.get(pages["article"])
result["pages"]["article_signed_in"] = {
    "url": pages["article"], "queries": len(queries), "bytes": len(response.content)}
token = _get_new_csrf_string()
session = signed_in.cookies["sessionid"].value
result["session_cookie"] = f"sessionid={session}"
result["post"] = {
    "url": f"/comments/articles/{article.pk}/",
    "cookie": f"sessionid={session}; csrftoken={token}",
    "body": f"body=Benchmark+comment+text&website=&csrfmiddlewaretoken={token}",
    "article_id": article.pk,
}
with CaptureQueriesContext(connection) as queries:
    response = signed_in.post(result["post"]["url"], {"body": "Probe comment", "website": ""})
result["pages"]["post_comment"] = {
    "url": result["post"]["url"], "queries": len(queries), "bytes": len(response.content)}
# The measured article keeps its 30 comments: the probe's own goes again.
for comment in Comment.objects.filter(article=article, body="Probe comment"):
    comment.delete()
print("PROBE_JSON " + json.dumps(result))
"""

COUNT_COMMENTS = r"""
from comments.models import Comment
print("COUNT", Comment.objects.filter(article_id={article_id}).count())
"""


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def manage(*args: str, env: dict, capture: bool = False) -> str:
    result = run([PYTHON, "manage.py", *args], env, capture_output=capture)
    return result.stdout if capture else ""


def site_env(size: str, *, page_cache: bool, static_root: str, fragment_cache: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=f"{PG}/healthsite_bench_{size}",
        # Each size its own cache, as two separate sites would have.
        REDIS_URL=f"redis://127.0.0.1:6379/{3 + SIZES.index(size)}",
        PAGE_CACHE_SECONDS="60" if page_cache else "0",
        FRAGMENT_CACHE_SECONDS="600" if fragment_cache else "0",
        # The limits protect readers from floods; the benchmark posts on purpose.
        COMMENTS_PER_MINUTE="1000000",
        COMMENTS_PER_DAY="1000000",
    )
    return env


def prepare_database(size: str, env: dict) -> None:
    name = f"healthsite_bench_{size}"
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], env)
    manage("migrate", "--no-input", "-v", "0", env=env)
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from articles.models import Article; print(Article.objects.exists())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "True" not in output:
        print(f"Generating the {size} data set...", flush=True)
        started = time.monotonic()
        manage("generate_bench_data", "--size", size, env=env)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "healthsite.wsgi", "--workers", "2", "--worker-class",
         "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def free_port() -> int:
    """A port nothing listens on now: a server found on a fixed port might be another's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(envs: dict[str, dict]) -> Iterator[dict[str, str]]:
    """One gunicorn per data size, each on its own port, all running at once; yields the
    address of each. Each page is then measured at every size back to back, so that the
    machine's drift over minutes does not pass for a difference between the sizes. Only the
    server being measured is busy: the others' sync workers wait idle."""
    servers: dict[str, subprocess.Popen] = {}
    ports = {size: free_port() for size in envs}
    try:
        for size, env in envs.items():
            servers[size] = start_server(env, ports[size])
        yield {size: f"http://127.0.0.1:{port}" for size, port in ports.items()}
    finally:
        for size, server in servers.items():
            _peak_memory[size] = max(_peak_memory.get(size, 0.0), worker_peak_memory_mb(server))
            server.terminate()
            server.wait()


# The highest peak memory of any worker, per size, over every server run.
_peak_memory: dict[str, float] = {}


def worker_peak_memory_mb(server: subprocess.Popen) -> float:
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else 0.0


def wrk(
    base: str, url: str, *, duration: int, connections: int, env_extra: dict | None = None
) -> dict:
    env = {**os.environ, **(env_extra or {})}
    result = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "5s",
         "-s", str(ROOT / "benchmarks" / "report.lua"), base + url],
        env=env, capture_output=True, text=True, check=True, timeout=duration + 30,
    )  # fmt: skip
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return {
        "rps": data["requests"] / seconds,
        "p50_ms": data["p50_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "requests": data["requests"],
        "failed": data["non_2xx_3xx"] + data["socket_errors"],
    }


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy since it started, over every core: the
    first line of /proc/stat (user, nice, system, irq, softirq and steal; idle and iowait
    are not busy). The app server, PostgreSQL and Redis are all in it."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields)
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def cpu_ms_per_request(
    base: str, url: str, *, cookie: str | None = None, body: str | None = None
) -> float:
    """Machine CPU milliseconds one request costs: `CPU_REQUESTS` sequential requests,
    the machine's busy time before and after, less this process's own (the load
    generator's), per request; the cheapest of `CPU_BATCHES` batches. Unlike requests per
    second, it does not move when other work takes a share of the cores while the machine
    has cores to spare; work that runs at the same time adds to it, hence the cheapest."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.netloc, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    def send() -> None:
        connection.request("POST" if body is not None else "GET", url, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        if answer.status >= 400:
            raise SystemExit(f"{url} answered {answer.status} while measuring CPU")

    for _ in range(5):  # warm: connections, caches
        send()
    batches = []
    for _ in range(CPU_BATCHES):
        machine, own = machine_busy_seconds(), time.process_time()
        for _ in range(CPU_REQUESTS):
            send()
        spent = (machine_busy_seconds() - machine) - (time.process_time() - own)
        batches.append(max(spent, 0.0) * 1000 / CPU_REQUESTS)
    connection.close()
    return min(batches)


LISTED_PAGES = ("home", "category", "article", "tag", "author", "search", "feed")
CACHED_PAGES = ("home", "category", "article")


def bench(sizes: list[str], *, duration: int, static_root: str) -> dict[str, dict]:
    envs = {size: site_env(size, page_cache=False, static_root=static_root) for size in sizes}
    probes = {}
    for size, env in envs.items():
        prepare_database(size, env)
        output = manage("shell", "-c", PROBE, env=env, capture=True)
        probes[size] = json.loads(
            next(x for x in output.splitlines() if x.startswith("PROBE_JSON ")).removeprefix(
                "PROBE_JSON "
            )
        )
    pages = {size: probe["pages"] for size, probe in probes.items()}
    rows: dict[str, dict[str, dict]] = {size: {} for size in sizes}

    def measure(base: str, url: str, **options) -> dict:
        return wrk(base, url, duration=duration, connections=CONCURRENCY, **options)

    def ceiling_rows(bases: dict[str, str]) -> dict[str, dict]:
        return {
            size: {**measure(base, "/healthz"), "cpu_ms": cpu_ms_per_request(base, "/healthz")}
            for size, base in bases.items()
        }

    # Pass 1: the article page with nothing cached at all, every part rendered each time:
    # what a reader meets after an edit, before the fragments are cached again.
    print("== the article page with nothing cached", flush=True)
    bare = {
        size: site_env(size, page_cache=False, fragment_cache=False, static_root=static_root)
        for size in sizes
    }
    with serving(bare) as bases:
        ceilings = ceiling_rows(bases)
        for size, base in bases.items():
            row = measure(base, pages[size]["article"]["url"])
            row.update(
                share=row["rps"] / ceilings[size]["rps"],
                queries=pages[size]["article_no_fragments"]["queries"],
                bytes=pages[size]["article"]["bytes"],
                cpu_ms=cpu_ms_per_request(base, pages[size]["article"]["url"]),
            )
            row["cpu_share"] = ceilings[size]["cpu_ms"] / row["cpu_ms"]
            rows[size]["article_no_fragments"] = row

    # Pass 2: every page rendered on every request (the article page from its cached row
    # and fragments, as in production).
    print("== every page rendered", flush=True)
    with serving(envs) as bases:
        ceilings = ceiling_rows(bases)
        for name in LISTED_PAGES:
            for size, base in bases.items():
                url = pages[size][name]["url"]
                rows[size][name] = {**measure(base, url), "cpu_ms": cpu_ms_per_request(base, url)}
        for size, base in bases.items():
            cookie = probes[size]["session_cookie"]
            url = pages[size]["article"]["url"]
            rows[size]["article_signed_in"] = {
                **measure(base, url, env_extra={"BENCH_COOKIE": cookie}),
                "cpu_ms": cpu_ms_per_request(base, url, cookie=cookie),
            }
        for size, base in bases.items():
            post = probes[size]["post"]
            before = count_comments(post["article_id"], envs[size])
            row = wrk(
                base,
                post["url"],
                duration=duration,
                connections=POST_CONCURRENCY,
                env_extra={"BENCH_COOKIE": post["cookie"], "BENCH_BODY": post["body"]},
            )
            row["stored"] = count_comments(post["article_id"], envs[size]) - before
            row["cpu_ms"] = cpu_ms_per_request(
                base, post["url"], cookie=post["cookie"], body=post["body"]
            )
            rows[size]["post_comment"] = row
    for size in sizes:
        for name, row in rows[size].items():
            if "share" in row:  # measured against its own pass's ceiling
                continue
            row["share"] = row["rps"] / ceilings[size]["rps"]
            row["cpu_share"] = ceilings[size]["cpu_ms"] / row["cpu_ms"]
            row.update(queries=pages[size][name]["queries"], bytes=pages[size][name]["bytes"])
        rows[size]["ceiling"] = {
            **ceilings[size],
            "share": 1.0,
            "cpu_share": 1.0,
            **pages[size]["ceiling"],
        }

    # Pass 3: anonymous pages from the page cache.
    print("== anonymous pages from the page cache", flush=True)
    cached = {size: site_env(size, page_cache=True, static_root=static_root) for size in sizes}
    with serving(cached) as bases:
        ceilings = ceiling_rows(bases)
        for name in CACHED_PAGES:
            for size, base in bases.items():
                url = pages[size][name]["url"]
                row = measure(base, url)
                row.update(
                    share=row["rps"] / ceilings[size]["rps"],
                    queries=0,
                    bytes=pages[size][name]["bytes"],
                    cpu_ms=cpu_ms_per_request(base, url),
                )
                row["cpu_share"] = ceilings[size]["cpu_ms"] / row["cpu_ms"]
                rows[size][f"{name}_cached"] = row
    return {size: {"rows": rows[size], "memory_mb": _peak_memory[size]} for size in sizes}


def count_comments(article_id: int, env: dict) -> int:
    output = manage(
        "shell", "-c", COUNT_COMMENTS.format(article_id=article_id), env=env, capture=True
    )
    return int(next(x for x in output.splitlines() if x.startswith("COUNT ")).split()[1])


def table(results: dict[str, dict]) -> str:
    sizes = list(results)
    lines = [
        "| size | page | req/s | share of ceiling | CPU ms/req | share by CPU | p50 ms | p99 ms "
        "| SQL queries | bytes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        for name, row in results[size]["rows"].items():
            lines.append(
                f"| {size} | {name} | {row['rps']:.0f} | {row['share']:.0%} | "
                f"{row['cpu_ms']:.2f} | {row['cpu_share']:.0%} | "
                f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['queries']} | {row['bytes']} |"
            )
    if {"small", "large"} <= set(sizes):
        lines += [
            "",
            "| page | large/small p50 latency | large/small CPU per request |",
            "| --- | ---: | ---: |",
        ]
        for name, row in results["large"]["rows"].items():
            small = results["small"]["rows"][name]
            lines.append(
                f"| {name} | {row['p50_ms'] / small['p50_ms']:.2f} | "
                f"{row['cpu_ms'] / small['cpu_ms']:.2f} |"
            )
    lines.append("")
    for size in sizes:
        post = results[size]["rows"]["post_comment"]
        lines.append(
            f"- {size}: posting a comment at {POST_CONCURRENCY} concurrent users: "
            f"p99 {post['p99_ms']:.0f} ms, {post['requests'] - post['failed']} successful "
            f"responses, {post['stored']} comments stored, {post['failed']} failed; "
            f"peak memory per gunicorn worker {results[size]['memory_mb']:.0f} MB."
        )
    lines += ["", "Targets:", *targets(results)]
    return "\n".join(lines)


def targets(results: dict[str, dict]) -> list[str]:
    """Each target of the benchmark, met or not, with the figures that decide it. Shares of
    the ceiling are judged by machine CPU per request, which other work on the machine
    moves far less than requests per second; the req/s share is given beside it."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    def share(rows: dict, name: str, target: float, what: str) -> str:
        row = rows[name]
        return (
            f"{what} at least {target:.0%} of the ceiling: {verdict(row['cpu_share'] >= target)} "
            f"({row['cpu_share']:.0%} by CPU, {row['share']:.0%} by req/s)"
        )

    checks = []
    for size, result in results.items():
        rows = result["rows"]
        for page, most in TARGETS["queries"].items():
            # The article page's worst case for anonymous readers: every fragment rendered.
            names = (
                [page]
                if page == "article_signed_in"
                else [
                    name for name in rows if name.startswith(page) and name != "article_signed_in"
                ]
            )
            queries = max(rows[name]["queries"] for name in names)
            checks.append(
                f"- {size}: {page} at most {most} queries: {verdict(queries <= most)} ({queries})"
            )
        checks += [
            f"- {size}: " + share(rows, "article", TARGETS["uncached_article_share"],
                                  "article rendered (its row and shared fragments cached)"),
            f"- {size}: " + share(rows, "article_no_fragments", TARGETS["bare_article_share"],
                                  "article with nothing cached"),
            f"- {size}: " + share(rows, "article_signed_in", TARGETS["signed_in_article_share"],
                                  "article for a signed-in reader"),
        ]  # fmt: skip
        cached = min(
            (name for name in rows if name.endswith("_cached")),
            key=lambda name: rows[name]["cpu_share"],
        )
        checks.append(
            f"- {size}: "
            + share(rows, cached, TARGETS["cached_share"], "every cached page")
            + f" (lowest: {cached})"
        )
        post = rows["post_comment"]
        kept = post["stored"] >= post["requests"] - post["failed"]
        checks.append(
            f"- {size}: comment p99 under {TARGETS['post_p99_ms']} ms with none lost: "
            f"{verdict(post['p99_ms'] < TARGETS['post_p99_ms'] and kept and not post['failed'])} "
            f"({post['p99_ms']:.0f} ms)"
        )
        checks.append(f"- {size}: peak memory per worker {result['memory_mb']:.0f} MB")
    if {"small", "large"} <= set(results):
        small = results["small"]["rows"]
        over = {
            name: f"{row['cpu_ms'] / small[name]['cpu_ms']:.2f}"
            for name, row in results["large"]["rows"].items()
            if row["cpu_ms"] / small[name]["cpu_ms"] > TARGETS["size_ratio"]
        }
        checks.append(
            f"- large/small CPU per request at most {TARGETS['size_ratio']} for every page: "
            f"{verdict(not over)}{f' (over: {over})' if over else ''}"
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=SIZES)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    static_root = tempfile.mkdtemp(prefix="healthsite-bench-static-")
    env = site_env("small", page_cache=False, static_root=static_root)
    manage("collectstatic", "--no-input", "-v", "0", env=env)
    # In the order of `SIZES`, whatever the order asked for: the table reads small first.
    sizes = [size for size in SIZES if size in options.sizes]
    results = bench(sizes, duration=options.duration, static_root=static_root)
    shutil.rmtree(static_root, ignore_errors=True)

    report = table(results)
    print(report)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = ROOT / "docs" / "benchmarks.md"
    # The file holds the latest run only, under its introduction; earlier runs are in git.
    intro = (
        out.read_text().partition("\n## ")[0]
        if out.exists()
        else "# Benchmark results\n\nThe latest run of `make bench`; earlier runs are in git.\n"
    )
    entry = f"## {stamp}, {os.cpu_count()} cores, {options.duration} s per page\n\n{report}\n"
    out.write_text(intro.rstrip() + "\n\n" + entry)
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
