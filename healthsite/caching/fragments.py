"""Parts of pages that are the same for every reader, cached under the page's version:
template fragments (`{% cached_fragment %}`) and the article row the article page reads.

See the package's notes (healthsite/caching/__init__.py) for the whole design.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models
from django.http import HttpRequest

from .versions import PageVersion, page_version

register = template.Library()


def fragment_cache_context(request: HttpRequest) -> dict[str, Any]:
    """What a view gives its template so that `{% cached_fragment %}` caches: without it
    (a preview, say) the same template renders every fragment afresh."""
    return {"shared_fragments": page_version(request) if settings.FRAGMENT_CACHE_SECONDS else None}


def model_shape(*model_classes: type[models.Model]) -> str:
    """A short fingerprint of where these models live and which columns they have."""
    described = [
        (model.__module__, model.__qualname__, [field.attname for field in model._meta.fields])
        for model in model_classes
    ]
    return hashlib.blake2b(repr(described).encode(), digest_size=4).hexdigest()


def cached_object[T](request: HttpRequest, *, key: str, shape: str, load: Callable[[], T]) -> T:
    """`load()`, kept in the cache under the page's version like the page's fragments:
    what decides whether the page exists changes with them. An exception from `load()` (a
    404) is never cached.

    Cached objects are pickled model instances: `shape` (see model_shape()) is part of the
    key, so after a release that moves or reshapes their models the old pickles are not
    read back (they may no longer load)."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds:
        return load()
    version = page_version(request)
    full_key = f"{key}:{shape}:{version.key}"
    found = cache.get(full_key)
    if found is None:
        found = load()
        cache.set(full_key, found, version.seconds(seconds))
    return found


class CachedFragmentNode(template.Node):
    def __init__(
        self,
        nodelist: template.NodeList,
        name: str,
        vary_on: list[template.base.FilterExpression],
        when: template.base.FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.when = when

    def render(self, context: template.Context) -> str:
        version: PageVersion | None = context.get("shared_fragments")
        if version is None or (self.when is not None and not self.when.resolve(context)):
            return self.nodelist.render(context)
        vary_on = [expression.resolve(context) for expression in self.vary_on]
        key = make_template_fragment_key(self.name, [*vary_on, version.key])
        found = cache.get(key)
        if found is None:
            found = self.nodelist.render(context)
            cache.set(key, found, version.seconds(settings.FRAGMENT_CACHE_SECONDS))
        return found


@register.tag
def cached_fragment(parser: template.base.Parser, token: template.base.Token) -> CachedFragmentNode:
    """`{% cached_fragment "name" value ... [when=condition] %}...{% endcached_fragment %}`

    Caches its content for every reader under the page's version and the values given, when
    the view shares fragments (see fragment_cache_context()) and `condition`, if any, holds;
    otherwise renders it afresh. FRAGMENT_CACHE_SECONDS says for how long."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a fragment name.")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    when = None
    vary_on = []
    for bit in bits[2:]:
        if bit.startswith("when="):
            when = parser.compile_filter(bit.removeprefix("when="))
        else:
            vary_on.append(parser.compile_filter(bit))
    name = bits[1].strip("\"'")
    return CachedFragmentNode(nodelist, name, vary_on, when)
