"""Chaos run of the publishing pipeline: faulty channels, consumers killed with SIGKILL, nothing lost or doubled.

    .venv/bin/python benchmarks/chaos.py                  # SQLite, then PostgreSQL + Redis
    .venv/bin/python benchmarks/chaos.py --stack sqlite --no-reconcile   # must show duplicates > 0
    .venv/bin/python benchmarks/chaos.py --stalls 10 --clock-skew 30      # stalled and fast-clock workers

A fault-injecting HTTP server on 127.0.0.1 serves three test channels and keeps its own record of
the posts it accepted, per delivery marker; at the end every delivery must be there exactly once
(live: a duplicate the pipeline found as an orphan and took down does not count, it is reported).
`--stalls N` freezes a random consumer N times (SIGSTOP, then SIGCONT after longer than the lease);
`--clock-skew S` runs the last consumer with its wall clock S seconds ahead (S > lease). With
either, the dispatcher also runs every 2 s (`--dispatch-every`), so that a stalled worker's rows
are taken over while it is frozen (with huey's one-minute tick a 10 s stall is rarely noticed).
"""

import argparse
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _pipeline_harness as harness


def run_stack(args) -> int:
    from channels.testhttp import TestChannelServer

    server = TestChannelServer(
        fail_rate=0.20,
        effect_fail_rate=0.10,
        hang_rate=args.hang_rate,
        hang_seconds=args.timeout * 2,
        seed=args.seed,
    ).start()
    channels = {
        f"chaos{n}": {
            "BACKEND": "channels.testhttp.TestHttpAdapter",
            "URL": server.url,
            "TIMEOUT": args.timeout,
            "TARGET": f"t{n}",
        }
        for n in (1, 2, 3)
    }
    name = f"bench_chaos_{args.stack}"
    extra = {
        "PUBLISHING_LEASE_SECONDS": str(args.lease),
        "PUBLISHING_BACKOFF_BASE_MS": "200",
        "PUBLISHING_BACKOFF_MAX_MS": "3000",
        "PUBLISHING_MAX_ATTEMPTS": "30",
        "PUBLISHING_RECONCILE": "0" if args.no_reconcile else "1",
        "HUEY_WORKERS": str(args.workers),
    }
    env = harness.stack_env(args.stack, name, channels, extra)
    if args.stack == "postgres":
        harness.recreate_postgres_database(name)
    logdir = tempfile.mkdtemp(prefix="chaos-logs-")
    skew = {args.consumers - 1: args.clock_skew} if args.clock_skew else {}
    print(
        f"stack={args.stack} stories={args.stories} channels=3 consumers={args.consumers}x{args.workers} threads "
        f"kills>={args.kills} stalls={args.stalls} clock-skew={args.clock_skew:g}s (last consumer) "
        f"dispatch every {args.dispatch_every or 60:g}s "
        f"faults: 500 20%, effect+500 10%, hang {args.hang_rate:.0%} "
        f"(client timeout {args.timeout}s) lease={args.lease}s reconcile={not args.no_reconcile} seed={args.seed}",
        flush=True,
    )
    started = time.monotonic()
    harness.setup_django(env)
    from django.db.models import Count

    from publishing.models import TERMINAL_STATUSES, Delivery, OrphanPost

    consumers = harness.Consumers(env, args.consumers, args.workers, logdir, skew=skew)
    consumers.start_all()
    rng = random.Random(args.seed)
    stall_rng = random.Random(args.seed + 1)
    creating_done = threading.Event()

    def chaos_monkey():
        while consumers.kills < args.kills or not creating_done.is_set():
            time.sleep(rng.uniform(0.5, 2.0))
            slot = rng.randrange(args.consumers)
            consumers.kill(slot)
            time.sleep(rng.uniform(0.0, 0.5))
            consumers.start(slot)

    def stall_monkey():
        while consumers.stalls < args.stalls:
            time.sleep(stall_rng.uniform(1.0, 4.0))
            consumers.stall(stall_rng.randrange(args.consumers), args.lease * stall_rng.uniform(1.2, 2.0))

    def dispatcher():
        """The periodic dispatcher, every few seconds instead of every minute: rows whose lease
        expired during a stall are taken over while the stalled worker is still frozen."""
        import sqlite3

        from django.db import OperationalError, connection

        from publishing.delivery import deliveries_dispatch

        while not finished.wait(args.dispatch_every):
            try:
                deliveries_dispatch()
            except (OperationalError, sqlite3.OperationalError):  # SQLite busy: the next tick retries
                continue
        connection.close()

    finished = threading.Event()
    monkey = threading.Thread(target=chaos_monkey, daemon=True)
    monkey.start()
    staller = threading.Thread(target=stall_monkey, daemon=True)
    staller.start()
    if args.dispatch_every:
        threading.Thread(target=dispatcher, daemon=True).start()
    try:
        harness.bulk_publications(args.stories, title="Tin hỗn loạn")
        creating_done.set()
        monkey.join()
        print(
            f"created in {time.monotonic() - started:.0f}s, {consumers.kills} SIGKILLs, "
            f"{consumers.stalls} stalls so far",
            flush=True,
        )
        staller.join(args.wait)

        pushed = Delivery.objects.exclude(channel="portal")
        unsettled = OrphanPost.objects.filter(status=OrphanPost.Status.PENDING)
        done = harness.wait_until(
            lambda: not pushed.exclude(status__in=TERMINAL_STATUSES).exists() and not unsettled.exists(),
            timeout=args.wait,
            interval=1,
        )
    finally:
        creating_done.set()
        finished.set()
        consumers.stop_all()
        server.stop()

    expected = list(pushed.values_list("pk", flat=True))
    markers = {f"hub-{pk}" for pk in expected}
    with server.lock:
        counts = {marker: len(ids) for marker, ids in server.by_marker.items()}
        live = {}
        for marker, ids in server.by_marker.items():
            live[marker] = sum(1 for post_id in ids if not server.posts[post_id]["deleted"])
    lost = sum(1 for marker in markers if live.get(marker, 0) == 0)
    strays = sum(n for marker, n in counts.items() if marker not in markers)
    duplicated = sum(1 for marker in markers if live.get(marker, 0) > 1)
    posted_twice = sum(1 for marker in markers if counts.get(marker, 0) > 1)
    statuses = dict(pushed.values_list("status").annotate(n=Count("pk")).order_by())
    orphans = dict(OrphanPost.objects.values_list("status").annotate(n=Count("pk")).order_by())
    orphans_left = sum(n for status, n in orphans.items() if status in ("pending", "flagged"))
    print(f"all terminal: {done} after {time.monotonic() - started:.0f}s; statuses: {statuses}")
    print(
        f"server: {server.requests} POSTs, {len(server.posts)} posts accepted; "
        f"SIGKILLs: {consumers.kills}; stalls: {consumers.stalls}"
    )
    print(
        f"orphans found: {sum(orphans.values())} {orphans}; posted twice then taken down: "
        f"{posted_twice - duplicated}"
    )
    print(
        f"expected posts: {len(expected)}  lost: {lost}  duplicated: {duplicated}  "
        f"orphans left un-retracted: {orphans_left}  stray posts: {strays}"
    )
    stale = not_sent = 0
    for log in Path(logdir).glob("consumer-*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if "publishing.delivery: stale " in line:
                stale += 1
                not_sent += "outcome=not sent" in line
    print(f"stale leases seen by workers: {stale} ({not_sent} stopped before sending by the fence)")
    print(f"consumer logs: {logdir}", flush=True)
    if args.stack == "postgres":
        from django.db import connections

        connections.close_all()
        harness.drop_postgres_database(name)
    harness.remove_var_dir(env)
    ok = done and lost == 0 and strays == 0 and orphans_left == 0 and (duplicated == 0) != args.no_reconcile
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=1.0, help="the test channel's HTTP timeout")
    parser.add_argument("--hang-rate", type=float, default=0.03)
    parser.add_argument("--lease", type=int, default=5)
    parser.add_argument(
        "--wait", type=float, default=200, help="seconds to wait for all deliveries to finish"
    )
    parser.add_argument("--seed", type=int, default=20211)
    parser.add_argument("--no-reconcile", action="store_true", help="switch reconcile off: duplicates appear")
    parser.add_argument(
        "--stalls",
        type=int,
        default=0,
        help="SIGSTOP a random consumer this many times, longer than the lease",
    )
    parser.add_argument(
        "--clock-skew",
        type=float,
        default=0,
        help="the last consumer's wall clock runs this many seconds ahead",
    )
    parser.add_argument(
        "--dispatch-every",
        type=float,
        default=None,
        help="run the dispatcher every N seconds (default: 2 with --stalls or --clock-skew, else huey's minute)",
    )
    args = parser.parse_args()
    if args.dispatch_every is None:
        args.dispatch_every = 2.0 if args.stalls or args.clock_skew else 0
    if args.stack != "both":
        return run_stack(args)
    status = 0
    for stack in ("sqlite", "postgres"):
        command = [sys.executable, __file__, *sys.argv[1:], "--stack", stack]
        status |= subprocess.call(command)
    return status


if __name__ == "__main__":
    sys.exit(main())
