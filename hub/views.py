"""Portal views outside the page tree."""

import sqlite3

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from huey.exceptions import HueyException
from redis.exceptions import RedisError


@never_cache
def healthz(request):
    """Database and queue health as JSON: 200 when both answer, 503 otherwise."""
    checks = {"database": _check_database(), "queue": _check_queue()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except DatabaseError as error:
        return {"ok": False, "error": str(error)}


def _check_queue() -> dict:
    from huey.contrib.djhuey import HUEY

    try:
        return {"ok": True, "backend": type(HUEY.storage).__name__, "pending": HUEY.pending_count()}
    except (HueyException, OSError, sqlite3.Error, RedisError) as error:
        return {"ok": False, "error": str(error)}
