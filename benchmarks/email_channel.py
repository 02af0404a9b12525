"""E-mail channel speed and its chaos run: one delivery to 10,000 recipients through one worker to a
real SMTP server on 127.0.0.1 (aiosmtpd), optionally SIGKILLing the worker mid-batch.

    .venv/bin/python benchmarks/email_channel.py                           # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/email_channel.py --stack sqlite --kills 3  # kill the worker 3 times

Target: ≥ 200 messages/s per worker. After kills: nobody gets the message twice; a message whose
worker died between handing it over and recording it is counted as uncertain (never re-sent).
"""

import sys
from pathlib import Path

# This file is named like the standard library's `email` package: keep its folder off the import
# path so that smtplib and Django import the real one.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import datetime  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

from benchmarks import _pipeline_harness as harness  # noqa: E402

WORKER = """
import time, django
django.setup()
from publishing.delivery import delivery_process
started = time.perf_counter()
outcome = delivery_process(delivery_id={delivery_id})
print(outcome, time.perf_counter() - started, flush=True)
"""


def make_delivery(recipients: int) -> int:
    from django.utils import timezone

    from channels.email.adapter import EmailAdapter
    from channels.email.models import Recipient, RecipientList
    from hub.models import Organisation, OrganisationKind
    from publishing.models import Delivery, Publication

    organisation = Organisation.objects.create(
        name="UBND tỉnh (bench)", slug="bench", kind=OrganisationKind.PROVINCE
    )
    lst = RecipientList.objects.create(organisation=organisation, name="Các sở, ngành, huyện")
    now = timezone.now()
    Recipient.objects.bulk_create(
        [
            Recipient(
                organisation=organisation,
                recipient_list=lst,
                email=f"vanthu{n}@donvi{n % 97}.dienbien.gov.vn",
                name=f"Văn thư {n}",
                language="vi" if n % 10 else "en",
                confirmed_at=now,
            )
            for n in range(recipients)
        ],
        batch_size=2000,
    )
    publication = Publication.objects.create(
        kind="directive",
        title="Chỉ thị số 15/CT-UBND về tăng cường phòng, chống dịch",
        summary="UBND tỉnh yêu cầu các sở, ngành và địa phương triển khai ngay các biện pháp phòng dịch.",
        url="https://dienbien.example.gov.vn/tin-tuc/chi-thi-so-15/",
        phase="new_normal",
        valid_from=now,
        valid_until=now + datetime.timedelta(days=3),
        published_at=now,
        channels=["email"],
    )
    adapter = EmailAdapter("email", {})
    target = adapter.targets(publication)[0]
    delivery = Delivery.objects.create(
        publication=publication,
        channel="email",
        target=target.key,
        payload=adapter.render(publication, target),
    )
    return delivery.pk


def run_stack(args) -> bool:
    from channels.email.testsmtp import SmtpSink

    sink = SmtpSink(keep_content=False).start()
    name = f"bench_email_{args.stack}"
    extra = {
        "EMAIL_CHANNEL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_CHANNEL_BATCH": str(args.batch),
        "EMAIL_CHANNEL_FROM": "thongtin@dienbien.gov.vn",
    }
    env = harness.stack_env(
        args.stack, name, {"email": {"BACKEND": "channels.email.adapter.EmailAdapter"}}, extra
    )
    if args.stack == "postgres":
        harness.recreate_postgres_database(name)
    try:
        harness.setup_django(env)
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        settings.EMAIL_PORT = sink.port
        delivery_id = make_delivery(args.recipients)
        connection.close()
        print(
            f"stack={args.stack} recipients={args.recipients} batch={args.batch} kills={args.kills} seed={args.seed}",
            flush=True,
        )
        rng = random.Random(args.seed)
        kills = 0
        started = time.perf_counter()
        while True:
            worker = subprocess.Popen(
                [sys.executable, "-c", WORKER.format(delivery_id=delivery_id)],
                env=env,
                cwd=harness.ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            if kills < args.kills:
                goal = len(sink.messages) + rng.randint(args.recipients // 20, args.recipients // 6)
                while len(sink.messages) < goal and worker.poll() is None:
                    time.sleep(0.002)
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
                    kills += 1
                    from publishing.models import Delivery

                    Delivery.objects.filter(pk=delivery_id).update(
                        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
                    )
                    connection.close()
                    print(f"  killed the worker with SIGKILL after {len(sink.messages)} messages", flush=True)
                    continue
            output, _ = worker.communicate(timeout=1800)
            break
        elapsed = time.perf_counter() - started
        outcome, worker_seconds = output.split()
        received = Counter(address for message in sink.messages for address in message["to"])
        ids = Counter(message["message_id"] for message in sink.messages)
        from channels.email.models import EmailSend, SendStatus

        uncertain = EmailSend.objects.filter(status=SendStatus.UNCERTAIN).count()
        duplicates = sum(count - 1 for count in received.values() if count > 1)
        missing = args.recipients - len(received)
        rate = args.recipients / float(worker_seconds) if not args.kills else len(sink.messages) / elapsed
        print(
            f"  outcome={outcome} messages={len(sink.messages)} unique recipients={len(received)} "
            f"unique Message-IDs={len(ids)} duplicates={duplicates} missing={missing} uncertain={uncertain}"
        )
        print(
            f"  last worker {float(worker_seconds):.2f}s; wall {elapsed:.2f}s; {rate:.0f} messages/s per worker"
        )
        ok = duplicates == 0 and missing <= uncertain and outcome == "sent"
        if not args.kills:
            ok = ok and rate >= 200
        print(
            f"  {'PASS' if ok else 'FAIL'} (target ≥ 200 messages/s, no duplicate, nothing lost but uncertain)"
        )
        return ok
    finally:
        sink.stop()
        if args.stack == "postgres":
            from django.db import connections

            connections.close_all()
            harness.drop_postgres_database(name)
        harness.remove_var_dir(env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200, help="messages per SMTP connection")
    parser.add_argument("--kills", type=int, default=0, help="SIGKILL the worker this many times")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    stacks = ["sqlite", "postgres"] if args.stack == "both" else [args.stack]
    results = []
    for stack in stacks:
        # Each stack in its own process: Django is configured once per process.
        if len(stacks) > 1:
            command = [sys.executable, __file__, *sys.argv[1:], "--stack", stack]
            results.append(subprocess.run(command, check=False).returncode == 0)
        else:
            args.stack = stack
            results.append(run_stack(args))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
