"""How pages are cached, in one place. Operators: docs/caching.md.

What is cached
    Whole pages for visitors who are not signed in (`middleware.AnonymousPageCacheMiddleware`):
    they all see the same page, so it is rendered once and served from the cache (Redis in
    production) until content changes. Signed-in users always get a fresh page with their own
    state, but the parts of it that are the same for everyone are cached on their own
    (`fragments`): the article itself, its JSON-LD, the first page of comments as a visitor
    sees it, the search page's list of topics (`{% cached_fragment %}` in the templates), and
    the article's row, which the article page reads from the cache (`fragments.cached_object`).
    The medical disclaimer's HTML is cached under a key of its own (articles.models).

What they are keyed on: the page version (`versions`)
    Every cached page and fragment carries the current *generation* in its key. A change to
    anything pages show moves to a new generation, so every page is rendered again on its
    next request; nothing is deleted, old entries expire. Comments show on their article's
    pages only, so a comment moves that article's own *version* instead, which the keys of
    its pages carry too: a busy discussion does not empty the cache of the rest of the site.
    Each request reads its version once, in one round trip, as `request.page_version` (set by
    the middleware, read lazily). The version starts with a *namespace* (`namespace`), which
    only a restore of the database moves (`manage.py clear_page_cache`).

How changes reach it: one path
    Every change ends in `versions.invalidate_pages_after_write()`, which moves the version
    at once (the writer sees the change on their next request) and again when the
    transaction commits (a page rendered from the old data in between does not outlive it):
      - saving or deleting a model that shows on pages: they inherit `InvalidatesPages`
        (articles, categories, people, comments, pictures, sources, old addresses, the
        disclaimer); fields that never show (`pages_ignore_fields`, a user's last_login)
        keep the cache;
      - django-taggit's tag links on articles, which no save() of ours writes:
        `articles.tags.follow_tag_links()`, which refreshes search too, once per batch;
      - admin actions that write in bulk call it themselves.
    A change that bypasses all of these (a queryset `update()` in a shell) still shows
    within PAGE_CACHE_SECONDS, which bounds how long any page is kept. Content that goes live
    by itself (a scheduled article) registers its moment with `invalidate_pages_at()`, and
    the first request after it starts a new generation.

With read replicas
    A page rendered just after a change may have read a replica that has not caught up. For
    REPLICA_LAG_SECONDS after a change, what it touched is "settling": pages, fragments and
    the article's row made then are kept for one second only (`PageVersion.seconds()`), so a
    copy made from old data is soon made again from new data.

Keys of any length (`keys`)
    A page's key holds its address, which may be long: keys longer than a cache takes (or
    holding spaces) are stored under a hash of the whole key, without a warning per request.

When Redis is down (`redis`)
    django-redis ignores its errors (IGNORE_EXCEPTIONS): reads miss, writes are dropped, the
    site serves without its cache, and the log says so once per outage rather than once per
    call.
"""
