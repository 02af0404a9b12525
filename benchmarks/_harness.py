"""Shared by portal.py, led.py and sms_feed.py: a throwaway environment, database and gunicorn,
and one load measurement (wrk when installed, otherwise a small threaded Python client)."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_PATH = "/bench/minimal.json"  # the smallest Django JSON view (benchmarks/bench_urls.py)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(var: Path, name: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) on `var`: SQLite and the file cache unless `extra` sets
    DATABASE_URL or REDIS_URL (the caller's own are ignored); `name` prefixes the cache and queue."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        PYTHONPATH=str(ROOT),
        HUB_VAR_DIR=str(var),
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        CACHE_PREFIX=name,
        HUEY_NAME=name,
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def var_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder for the SQLite database, file cache, queue and static files."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-", ignore_cleanup_errors=True) as path:
        yield Path(path)


def _execute(maintenance_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def drop_database(maintenance_url: str, name: str) -> None:
    _execute(maintenance_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recreate_database(maintenance_url: str, name: str) -> None:
    """An empty PostgreSQL database `name` on the server of the maintenance database."""
    _execute(maintenance_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


@contextlib.contextmanager
def postgres_database(maintenance_url: str, name: str) -> Iterator[str]:
    """Creates database `name`, yields its URL and drops it afterwards."""
    recreate_database(maintenance_url, name)
    try:
        yield urlunsplit(urlsplit(maintenance_url)._replace(path=f"/{name}"))
    finally:
        drop_database(maintenance_url, name)


def run_python(env: dict[str, str], *args: str, timeout: float = 1800) -> str:
    """Runs the project's Python in the project root; returns stdout, raises with stderr on failure."""
    result = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run_python(env, "manage.py", *args)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, port: int | None = None, workers: int = 2) -> Iterator[str]:
    """Serves hub.wsgi on 127.0.0.1; yields the base URL once it answers and always stops its process group."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("gunicorn")), "hub.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + MINIMAL_PATH, timeout=10).read()
                    break
                except OSError:  # refused, reset or timed out while booting
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(
                            f"gunicorn did not start:\n{log.read()[-3000:].decode()}"
                        ) from None
                    time.sleep(0.2)
            yield base
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):  # workers still running, or a hung master
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # responses other than 2xx/3xx, and timeouts


UNIQUE_LUA = """
local counter = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function request()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "u=" .. tid .. "-" .. counter)
end
"""


def measure(
    url: str,
    *,
    seconds: float = 5,
    connections: int = 16,
    headers: dict[str, str] | None = None,
    unique: bool = False,
) -> Load:
    """GETs `url` for `seconds` over `connections` connections; `unique` adds a never-seen query
    string to every request (page-cache misses). wrk runs 2 threads."""
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections, headers or {}, unique)
    return _python_client(url, seconds, connections, headers or {}, unique)


def _wrk(url: str, seconds: float, connections: int, headers: dict[str, str], unique: bool) -> Load:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if unique:
            script.write(UNIQUE_LUA)
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
        ).stdout

    def ms(percent: str) -> float:
        number, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)$", output, re.M).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"Socket errors:.* timeout (\d+)", output)
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=ms("50"),
        p99_ms=ms("99"),
        errors=sum(int(match.group(1)) for match in (bad, timeouts) if match),
    )


def _python_client(url: str, seconds: float, connections: int, headers: dict[str, str], unique: bool) -> Load:
    """One thread per connection (at most 32), each sending requests one after another until the deadline."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(number: int) -> None:
        nonlocal errors
        mine: list[float] = []
        failed = count = 0
        while time.monotonic() < deadline:
            count += 1
            target = f"{url}{'&' if '?' in url else '?'}u={number}-{count}" if unique else url
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(urllib.request.Request(target, headers=headers), timeout=5) as r:
                    r.read()
            except urllib.error.HTTPError as error:  # urllib raises on 304 too
                error.close()
                failed += error.code >= 400
            except OSError:
                failed += 1
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(min(connections, 32))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if not latencies:
        return Load(0.0, 0.0, 0.0, errors)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Load(len(latencies) / elapsed, latencies[len(latencies) // 2] * 1000, p99 * 1000, errors)
