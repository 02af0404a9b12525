"""A tiny multi-node run (benchmarks/cluster.py): two web processes and two workers on PostgreSQL,
Redis and a local S3 server, one of each killed midway; nothing lost, nothing doubled, no error."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_two_web_processes_and_two_workers_with_kills_lose_and_double_nothing(django_db_setup):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not settings.REDIS_URL:
        pytest.skip("the multi-node run needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    template = settings.DATABASES["default"]["NAME"]  # the test database, migrated by pytest-django
    connections.close_all()  # a database is copied only while nobody is connected to it
    maintenance = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    command = [sys.executable, str(ROOT / "benchmarks" / "cluster.py"), "--template", template]
    command += ["--database", f"{template}_cluster", "--database-url", maintenance]
    command += ["--redis-url", settings.REDIS_URL, "--stories", "4", "--readers", "3", "--pause", "0.2"]
    command += ["--web-workers", "1", "--lease", "5", "--restart-after", "1", "--dispatch-every", "2"]
    command += ["--wait", "60"]

    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)

    output = result.stdout + result.stderr[-3000:]
    assert result.returncode == 0, output
    assert re.search(r"^lost: 0  duplicated: 0  errors: 0$", result.stdout, re.M), output
    assert "4 stories written and approved over HTTP" in result.stdout, output
    assert re.search(
        r"SMS partner saw 4/4 messages in each of its 1 readers \(0 more than once\); LED screen showed 4/4",
        result.stdout,
    )
