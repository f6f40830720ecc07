"""Reads from PostgreSQL replicas, writes to the primary, and a user's own writes read back.

Replicas lag the primary by a moment. A visitor who has just written something (any POST)
reads from the primary for REPLICA_LAG_SECONDS afterwards, remembered in a cookie, so they
always see their own comment or change; everyone else reads from a replica.
"""

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "read_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_read_primary: ContextVar[bool] = ContextVar("read_primary", default=False)

# Read from the primary always: the task queue, whose worker claims a task in a transaction
# on the database it reads (`manage.py db_worker`) and must see what was queued a moment ago
# and what is done, and the mail queue's records it keeps as it sends (healthsite.mail).
PRIMARY_ONLY_APPS = frozenset({"django_tasks_database", "mailqueue"})  # app labels


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        replicas = settings.DATABASE_REPLICAS
        if _read_primary.get() or not replicas or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        # Replicas hold the same data as the primary.
        return True

    # No opinion on migrations: `migrate` runs on the primary, and replication brings the
    # schema to the replicas.


class ReadYourWritesMiddleware:
    """Send this request's reads to the primary after the visitor wrote something."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method not in SAFE_METHODS
        token = _read_primary.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _read_primary.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_LAG_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
