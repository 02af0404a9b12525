"""Shared by chaos.py and pipeline.py: a throwaway stack, huey consumers as subprocesses, bulk stories."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._harness import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
PG_MAINTENANCE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")


def stack_env(stack: str, name: str, channels: dict, extra: dict | None = None) -> dict:
    """Environment for this process and the consumers: a throwaway database and queue."""
    tmp = tempfile.mkdtemp(prefix=f"{name}-")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME", "HUEY_NAME", "CACHE_PREFIX"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.pipeline_settings",
        HUB_VAR_DIR=tmp,
        BENCH_CHANNELS=json.dumps(channels),
        HUEY_NAME=name,
        CACHE_PREFIX=name,
        PYTHONPATH=str(ROOT),
        HUEY_LOG_LEVEL="WARNING",
        LOG_LEVEL="WARNING",
    )
    if stack == "postgres":
        env["DATABASE_URL"] = PG_MAINTENANCE.rsplit("/", 1)[0] + f"/{name}"
        env["REDIS_URL"] = REDIS_BASE
    env.update(extra or {})
    return env


def recreate_postgres_database(name: str) -> None:
    recreate_database(PG_MAINTENANCE, name)


def drop_postgres_database(name: str) -> None:
    drop_database(PG_MAINTENANCE, name)


def remove_var_dir(env: dict) -> None:
    """Deletes the throwaway SQLite database, huey queue and cache of a finished run."""
    import shutil

    shutil.rmtree(env["HUB_VAR_DIR"], ignore_errors=True)


def setup_django(env: dict) -> None:
    """Configures Django in this process on the throwaway stack and migrates it."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from huey.contrib.djhuey import HUEY

    call_command("migrate", verbosity=0)
    HUEY.flush()


class Consumers:
    """huey consumers (`manage.py run_huey`) as subprocesses; slot 0 runs the periodic tasks."""

    def __init__(
        self, env: dict, count: int, workers: int, logdir: str, skew: dict[int, float] | None = None
    ):
        self.env, self.count, self.workers, self.logdir = env, count, workers, logdir
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.kills = 0
        self.stalls = 0
        self.skew = skew or {}  # slot → seconds its wall clock runs ahead

    def start(self, slot: int) -> None:
        manage = [str(ROOT / "manage.py")]
        env = self.env
        if self.skew.get(slot):
            manage = [str(ROOT / "benchmarks" / "_skewed.py")]
            env = {**self.env, "CLOCK_SKEW_SECONDS": str(self.skew[slot])}
        command = [sys.executable, *manage, "run_huey", "--quiet", "-w", str(self.workers)]
        if slot:
            command.append("--no-periodic")
        log = open(Path(self.logdir) / f"consumer-{slot}.log", "ab")  # noqa: SIM115
        self.procs[slot] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def stall(self, slot: int, seconds: float) -> None:
        """Freezes a consumer (SIGSTOP) for `seconds`, then lets it run on (SIGCONT)."""
        proc = self.procs[slot]
        if not proc or proc.poll() is not None:
            return
        os.kill(proc.pid, signal.SIGSTOP)
        self.stalls += 1
        time.sleep(seconds)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)

    def start_all(self) -> None:
        for slot in range(self.count):
            self.start(slot)

    def kill(self, slot: int) -> None:
        proc = self.procs[slot]
        if proc and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            self.kills += 1

    def stop_all(self) -> None:
        """Graceful stop (SIGINT lets workers finish their task), then SIGKILL if it hangs."""
        for proc in self.procs:
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGCONT)
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            if proc:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(20)
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


def bulk_publications(count: int, *, title: str = "Tin thử nghiệm") -> list[int]:
    """Publications without pages, each with its deliveries created by the real service (batched commits)."""
    from django.db import transaction
    from django.utils import timezone

    from publishing.models import Publication
    from publishing.services import deliveries_create

    ids = []
    for start in range(0, count, 50):
        with transaction.atomic():
            for n in range(start, min(start + 50, count)):
                now = timezone.now()
                publication = Publication.objects.create(
                    kind="goodexample",
                    title=f"{title} {n + 1}",
                    social_text=f"{title} số {n + 1}: người dân thực hiện tốt thông điệp 5K.",
                    url=f"http://127.0.0.1/tin/{n + 1}/",
                    phase="new_normal",
                    channels=list(_test_aliases()),
                    valid_from=now,
                    valid_until=now,
                    published_at=now,
                )
                deliveries_create(publication=publication)
                ids.append(publication.pk)
    return ids


def _test_aliases() -> list[str]:
    from django.conf import settings

    return [alias for alias in settings.HUB_CHANNELS if alias != "portal"]


def wait_until(predicate, *, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
