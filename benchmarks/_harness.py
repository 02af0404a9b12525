"""Reusable pieces for HTTP benchmarks: free ports, a gunicorn server, a load generator.

    port = free_port()
    with start_gunicorn(env=env, port=port) as server:
        rps, p50_ms, p99_ms = measure(f"{server.url}/", seconds=5, connections=8)

`measure` uses wrk when installed (unique=True adds a never-seen query string to every request),
otherwise a small threaded Python client.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url} within {timeout:.0f}s")


@contextlib.contextmanager
def start_gunicorn(
    *, env: dict, port: int, app: str = "hub.wsgi", workers: int = 2, ready_path: str = "/healthz"
):
    """Runs gunicorn on 127.0.0.1:port with this environment; stops it on exit."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    server = Server(process=process, url=f"http://127.0.0.1:{port}")
    try:
        wait_for(server.url + ready_path)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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


def _parse_wrk(output: str) -> tuple[float, float, float]:
    def ms(text: str) -> float:
        units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
        for unit in ("us", "ms", "s", "m"):
            if text.endswith(unit):
                return float(text[: -len(unit)]) * units[unit]
        return float(text)

    rps = p50 = p99 = 0.0
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            rps = float(parts[1])
        elif len(parts) == 2 and parts[0] == "50%":
            p50 = ms(parts[1])
        elif len(parts) == 2 and parts[0] == "99%":
            p99 = ms(parts[1])
        elif "Non-2xx" in line:
            raise RuntimeError(f"non-2xx responses while measuring: {line.strip()}")
    return rps, p50, p99


def _measure_wrk(url: str, seconds: float, connections: int, unique: bool, threads: int):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(UNIQUE_LUA)
    try:
        if unique:
            command += ["-s", script.name]
        result = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
        )
    finally:
        os.unlink(script.name)
    return _parse_wrk(result.stdout)


def _measure_python(url: str, seconds: float, connections: int, unique: bool):
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(number: int) -> None:
        count = 0
        mine = []
        while time.monotonic() < deadline:
            count += 1
            target = f"{url}{'&' if '?' in url else '?'}u={number}-{count}" if unique else url
            started = time.perf_counter()
            with urllib.request.urlopen(target, timeout=10) as response:
                response.read()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:
        return 0.0, 0.0, 0.0
    return (
        len(latencies) / elapsed,
        latencies[len(latencies) // 2] * 1000,
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    )


def measure(url: str, seconds: float = 5, connections: int = 8, *, unique: bool = False, threads: int = 2):
    """Requests/s, p50 and p99 latency (ms) of GET url; `unique` makes every URL new (cache misses)."""
    if shutil.which("wrk"):
        return _measure_wrk(url, seconds, connections, unique, threads)
    return _measure_python(url, seconds, connections, unique)
