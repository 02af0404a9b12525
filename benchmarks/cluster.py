"""Two web processes and two workers on PostgreSQL + Redis + S3, one of each killed midway: nothing lost or doubled.

    .venv/bin/python benchmarks/cluster.py                       # 60 stories, 6 readers
    .venv/bin/python benchmarks/cluster.py --stories 200 --readers 8 --kill-worker plain --no-restart
    .venv/bin/python benchmarks/cluster.py --template test_hub --stories 4 --dispatch-every 2   # tiny (tests)

What runs, as on two machines sharing PostgreSQL, Redis and an S3-compatible server (moto, in this
process, on 127.0.0.1): web A and web B (`gunicorn hub.wsgi`, production settings, each on its own
port), worker A (`manage.py run_huey`, the only one with the periodic tasks) and worker B
(`run_huey --no-periodic`). A fresh database (`--database`, default `bench_cluster`) is migrated and
seeded with the demo (`manage.py demo --force`); an SMS partner key, an LED screen token and a hero
image uploaded to the bucket are added.

Then, at the same time:
- the editor (`bientap`) writes good-example stories through the admin's add form and submits
  them (`action-submit`), and the approver (`pheduyet`) approves each one through the workflow's
  approve action — real HTTP forms with sessions and CSRF, like a browser;
- readers load the portal (home, a section, new stories, search), the SMS partner feed (following
  its cursors, with a partner key) and an LED screen's playlist (with its token) and frames.

Every request goes through a small client-side balancer over the two web processes (as nginx with
`proxy_next_upstream error`): a refused connection marks that process down and the request goes to
the other. When half of the stories are approved, web B is killed (SIGKILL to its whole process
group) and not restarted, and a worker is killed with SIGKILL: by default worker A, the periodic
one, which is restarted after `--restart-after` seconds as a supervisor (systemd `Restart=always`)
would do; `--kill-worker plain --no-restart` kills worker B and leaves it down instead.

Report: requests served and errors per kind, the requests in flight on web B when it died (counted
apart), deliveries lost and duplicated — from the Delivery rows and the channels' own records
(sandbox posts for Facebook and X, Zalo posts, SMS feed entries, LED playlist items, one per
delivery marker), and from what the SMS and LED readers saw — and approve-to-delivered latency
(from the approve request to the last channel's `sent_at`: median, p95). Exit status 1 when
anything was lost or duplicated, or when there were errors beyond the killed process's in-flight
requests.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The project root, not this folder, first on the path: a benchmark named like a standard module
# must never stand in for it.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from urllib.parse import urlencode, urlsplit, urlunsplit  # noqa: E402

from benchmarks._harness import (  # noqa: E402
    MINIMAL_PATH,
    ROOT,
    _execute,
    bench_env,
    free_port,
    manage,
    run_python,
)
from benchmarks._pipeline_harness import Consumers, percentile, wait_until  # noqa: E402

BUCKET = "hub-media"
PASSWORD = "cluster-bench-2026"
STORY_CHANNELS = ["facebook", "x", "sms", "led", "zalo"]
# Where each channel keeps its own record of what it delivered, one row per delivery marker.
RECORDS = {
    "facebook": ("channels.social.models", "SandboxPost", {"action": "send"}),
    "x": ("channels.social.models", "SandboxPost", {"action": "send"}),
    "zalo": ("channels.zalo.models", "ZaloPost", {}),
    "sms": ("channels.sms.models", "FeedEntry", {"kind": "message"}),
    "led": ("channels.led.models", "PlaylistItem", {}),
}

SETUP = """
import json, io, django
from urllib.parse import urlsplit
django.setup()
from django.core.files.images import ImageFile
from PIL import Image
from channels.led.models import Screen
from channels.sms.keys import key_create
from channels.sms.models import Partner
from hub.models import StoryIndexPage
from media.models import HubImage

partner = Partner.objects.get(name="Viettel (demo)")
_key, key = key_create(partner=partner, label="cluster benchmark")
screen = Screen.objects.get(code="ubnd-tinh")
_token, token = screen.issue_token()
buffer = io.BytesIO()
Image.new("RGB", (1200, 800), (30, 110, 170)).save(buffer, format="JPEG")
image = HubImage.objects.create(title="Tram y te xa", file=ImageFile(buffer, name="tram-y-te.jpg"))
section = StoryIndexPage.objects.get(slug="guong-nguoi-tot-viec-tot", locale__language_code="vi")
print(json.dumps({"key": key, "screen": screen.code, "token": token, "image": image.pk,
                  "image_name": image.file.name, "section": section.pk,
                  "section_url": urlsplit(section.full_url).path}))
"""

# A database cloned from one the test suite flushed lacks the rows Wagtail's migrations made.
RESTORE_FLUSHED = """
import django
django.setup()
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
if Page.get_first_root_node() is None:
    Page.add_root(instance=Page(title="Root", slug="root"))
"""


# --- the processes -------------------------------------------------------------------------


class Web:
    """One gunicorn (a web machine): its own port and process group, killed as a whole."""

    def __init__(self, env: dict, name: str, workers: int, logdir: Path):
        self.env, self.name, self.workers = env, name, workers
        self.port = free_port()
        self.log = logdir / f"web-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("gunicorn")), "hub.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        command += ["--log-level", "warning", "--timeout", "60"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"web {self.name} exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", MINIMAL_PATH)
                if conn.getresponse().status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"web {self.name} did not answer within {timeout:.0f}s")

    def kill(self) -> None:
        """SIGKILL to the master and its workers; returns once the port refuses connections."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the workers die a moment after the master
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except ConnectionRefusedError:
                return
            except OSError:
                pass
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.killpg(self.process.pid, signal.SIGKILL)  # workers left behind by a killed master


# --- HTTP through a client-side balancer -----------------------------------------------------


@dataclass
class Stats:
    served: Counter = field(default_factory=Counter)  # kind → 2xx/3xx responses
    errors: Counter = field(default_factory=Counter)  # kind → other statuses, timeouts, resets
    in_flight: Counter = field(default_factory=Counter)  # kind → cut off by the killed web process
    failovers: int = 0  # failed on the dead process after its death, sent to the other
    samples: list = field(default_factory=list)  # the first few errors, to print
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.samples) < 10:
                self.samples.append(f"{kind}: {what}")


class Balancer:
    """Round robin over the web processes. A refused connection, or any connection error from the
    killed process after its death, takes the process out and the request goes to the next one
    (nginx's `proxy_next_upstream error`); a request it had in hand when killed is counted apart."""

    def __init__(self, ports: list[int], stats: Stats):
        self.ports, self.stats = ports, stats
        self.down: set[int] = set()
        self.killed: dict[int, float] = {}  # port → monotonic time just before its process was killed
        self.turn = itertools.count()

    def mark_killed(self, port: int) -> None:
        self.killed[port] = time.monotonic()

    def request(
        self, kind: str, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None
    ) -> tuple[int, http.client.HTTPMessage | None, bytes]:
        """(status, headers, body); status 0 when the request failed (counted by kind)."""
        for _try in range(len(self.ports)):
            live = [port for port in self.ports if port not in self.down]
            if not live:
                break
            port = live[next(self.turn) % len(live)]
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                refused = isinstance(error, ConnectionRefusedError)
                if refused or (port in self.killed and started > self.killed[port]):
                    self.down.add(port)  # a dead process: the request goes to the next one
                    with self.stats.lock:
                        self.stats.failovers += 1
                    continue
                if port in self.killed:
                    with self.stats.lock:
                        self.stats.in_flight[kind] += 1
                else:
                    self.stats.error(kind, f"{method} {path} on :{port}: {error!r}")
                return 0, None, b""
            finally:
                conn.close()
            if response.status < 400:
                with self.stats.lock:
                    self.stats.served[kind] += 1
            else:
                self.stats.error(kind, f"{method} {path} on :{port}: {response.status} {data[:200]!r}")
            return response.status, response.headers, data
        self.stats.error(kind, f"{method} {path}: no web process left")
        return 0, None, b""


class Browser:
    """A signed-in admin user: cookies kept by hand (production marks them Secure, this is HTTP)."""

    def __init__(self, balancer: Balancer, username: str):
        self.balancer, self.username = balancer, username
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {"Cookie": cookie, **(extra or {})} if cookie else dict(extra or {})

    def _keep(self, headers) -> None:
        for header in (headers.get_all("Set-Cookie") or []) if headers else []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def get(self, kind: str, path: str) -> tuple[int, bytes]:
        status, headers, body = self.balancer.request(kind, "GET", path, headers=self._headers())
        self._keep(headers)
        return status, body

    def post(self, kind: str, path: str, data: dict) -> tuple[int, bytes, str]:
        body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}, doseq=True)
        extra = {"Content-Type": "application/x-www-form-urlencoded"}
        status, headers, content = self.balancer.request(
            kind, "POST", path, headers=self._headers(extra), body=body.encode()
        )
        self._keep(headers)
        return status, content, headers.get("Location", "") if headers else ""

    def login(self, password: str) -> None:
        self.get("admin", "/admin/login/")
        status, body, _location = self.post(
            "admin", "/admin/login/", {"username": self.username, "password": password, "next": "/admin/"}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username} could not sign in: {status} {body[:300]!r}")


# --- the editor → approver flow --------------------------------------------------------------


@dataclass
class Approved:
    page_id: int
    slug: str
    marker: str
    approved_at: float  # wall clock (time.time()) when the approve request left


def story_form(n: int, marker: str, image_id: int) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    return nested_form_data(
        {
            "title": f"Gương sáng {marker}: tổ dân phố vận động tiêm vắc-xin",
            "slug": f"guong-sang-{marker.lower()}",
            "summary": f"Tổ dân phố số {n} vận động 100% người dân đi tiêm vắc-xin đủ liều.",
            "body": streamfield(
                [("paragraph", rich_text(f"<p>Câu chuyện {marker} về người tốt, việc tốt.</p>"))]
            ),
            "hero_image": str(image_id),
            "sms_text": f"So Y te Dien Bien ({marker}): tiem vac-xin du lieu tai tram y te xa.",
            "social_text": f"Gương người tốt, việc tốt ({marker}): tổ dân phố vận động tiêm vắc-xin.",
            "led_text": f"{marker}: tiêm vắc-xin đủ liều",
            "alert_category": "Health",
            "alert_urgency": "Expected",
            "alert_severity": "Moderate",
            "alert_certainty": "Likely",
            "honoree": f"Tổ dân phố số {n}",
            "locality": "Phường Mường Thanh, thành phố Điện Biên Phủ",
            "achievement": "Vận động 100% người dân đi tiêm vắc-xin đủ liều.",
            "comments": inline_formset([]),
        }
    ) | {
        "channels": STORY_CHANNELS,  # a list: nested_form_data would number it
        "action-submit": "1",  # "Submit for review": saves and starts the workflow
    }


def run_flow(args, editor: Browser, approver: Browser, seeded: dict, run_id: str, approved: list, halfway):
    """Writes, submits and approves `args.stories` stories, one after another."""
    from wagtail.models import Page

    add_path = f"/admin/pages/add/hub/goodexamplepage/{seeded['section']}/"
    for n in range(1, args.stories + 1):
        marker = f"CL{run_id}N{n}"
        slug = f"guong-sang-{marker.lower()}"
        page = None
        for _try in range(3):  # a post cut off by the killed web process is sent again if nothing was saved
            status, body, _location = editor.post("editor", add_path, story_form(n, marker, seeded["image"]))
            page = Page.objects.filter(slug=slug).first()
            if page is not None:
                break
            if status == 200:
                raise RuntimeError(f"the add form refused story {n}: {body[:2000].decode(errors='replace')}")
        if page is None:
            raise RuntimeError(f"story {n} could not be created")
        state = wait_for(lambda slug=slug: _task_state(slug), timeout=30)
        if state is None:
            raise RuntimeError(f"story {n} is not waiting for approval")
        path = f"/admin/pages/workflow/action/{page.pk}/approve/{state}/"
        approved_at = time.time()
        for _try in range(3):  # the approver clicks again only if the approval did not happen
            status, body, location = approver.post("approver", path, {"comment": ""})
            if wait_for(lambda page=page: Page.objects.filter(pk=page.pk, live=True).exists(), timeout=5):
                break
        else:
            answer = f"{status} {location} {body[:1500].decode(errors='replace')}"
            raise RuntimeError(f"story {n} was not published by its approval: {answer}")
        approved.append(Approved(page.pk, slug, marker, approved_at))
        if n == args.stories // 2:
            halfway.set()
        time.sleep(args.pause)


def _task_state(slug: str) -> int | None:
    from wagtail.models import Page

    page = Page.objects.filter(slug=slug).first()
    state = page and page.current_workflow_task_state
    return state.pk if state else None


def wait_for(predicate, *, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# --- the readers -----------------------------------------------------------------------------


@dataclass
class Seen:
    sms: list = field(default_factory=list)  # per SMS reader: story slug → times it got the message
    led: set = field(default_factory=set)  # markers seen in the screen's playlist
    frames: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def portal_reader(
    balancer: Balancer, seeded: dict, approved: list, stop: threading.Event, rng: random.Random
):
    fixed = ["/", seeded["section_url"], "/tim-kiem/?q=tiem+chung", "/feeds/rss/"]
    images = set()
    while not stop.is_set():
        paths = fixed + [f"{seeded['section_url']}{story.slug}/" for story in approved[-5:]]
        path = rng.choice(paths)
        status, _headers, body = balancer.request("portal", "GET", path)
        image = re.search(rb'src="(/images/[^"]+)"', body) if status == 200 and path not in fixed else None
        if image and image.group(1) not in images:  # its rendition is made and stored in S3 on first ask
            images.add(image.group(1))
            balancer.request("image", "GET", image.group(1).decode().replace("&amp;", "&"))


def sms_reader(balancer: Balancer, seeded: dict, seen: Seen, stop: threading.Event):
    """A partner following the feed's cursors from the start; every message must come once."""
    auth = {"Authorization": f"Bearer {seeded['key']}"}
    after = None
    got = Counter()
    with seen.lock:
        seen.sms.append(got)
    while not stop.is_set():
        query = urlencode({"limit": 100, **({"after": after} if after else {})})
        status, _headers, body = balancer.request("sms", "GET", f"/api/sms/v1/messages?{query}", headers=auth)
        if status != 200:
            time.sleep(0.2)
            continue
        page = json.loads(body)
        with seen.lock:
            for entry in page["messages"]:
                if entry.get("type") == "message":
                    got[urlsplit(entry["url"]).path.rstrip("/").rsplit("/", 1)[-1]] += 1
        after = page.get("next_cursor") or after
        if not page.get("has_more"):
            time.sleep(0.2)


def led_reader(balancer: Balancer, seeded: dict, seen: Seen, stop: threading.Event):
    """The screen polling its playlist with If-None-Match, and fetching the frame of each new item."""
    auth = {"Authorization": f"Bearer {seeded['token']}"}
    path = f"/api/led/v1/screens/{seeded['screen']}/playlist.json"
    etag = None
    fetched = set()
    while not stop.is_set():
        headers = {**auth, **({"If-None-Match": etag} if etag else {})}
        status, response_headers, body = balancer.request("led", "GET", path, headers=headers)
        if status == 200:
            etag = response_headers.get("ETag")
            for item in json.loads(body)["items"]:
                marker = item["text"].split(":", 1)[0]
                with seen.lock:
                    seen.led.add(marker)
                if item["id"] not in fetched and marker.startswith("CL"):
                    frame_status, _h, png = balancer.request("led frame", "GET", item["frame"], headers=auth)
                    if frame_status == 200 and png.startswith(b"\x89PNG"):
                        fetched.add(item["id"])
                        with seen.lock:
                            seen.frames += 1
        time.sleep(0.2)


# --- checking the outcome --------------------------------------------------------------------


def check_deliveries(approved: list[Approved]) -> dict:
    """Lost and duplicated deliveries, from the Delivery rows and each channel's own records."""
    import importlib

    from django.db.models import Count

    from publishing.models import Delivery, Publication

    pages = [story.page_id for story in approved]
    publications = Publication.objects.filter(page_id__in=pages)
    per_page = Counter(publications.values_list("page_id", flat=True))
    deliveries = list(Delivery.objects.filter(publication__in=publications).select_related("publication"))
    lost = [f"page {page}: no publication" for page in pages if not per_page[page]]
    duplicated = [f"page {page}: {n} publications" for page, n in per_page.items() if n > 1]
    by_page_channel = defaultdict(list)
    for delivery in deliveries:
        by_page_channel[(delivery.publication.page_id, delivery.channel, delivery.target)].append(delivery)
    for page in pages:
        for channel in ["portal", *STORY_CHANNELS]:
            if not any(key[0] == page and key[1] == channel for key in by_page_channel):
                lost.append(f"page {page} {channel}: no delivery")
    for (page, channel, target), rows in by_page_channel.items():
        sent = [row for row in rows if row.status == "sent"]
        if not sent:
            lost.append(f"page {page} {channel}/{target}: {[row.status for row in rows]}")
        elif len(sent) > 1:
            duplicated.append(f"page {page} {channel}/{target}: {len(sent)} sent deliveries")
    records = {}
    for channel, (module, model, filters) in RECORDS.items():
        markers = [d.marker for d in deliveries if d.channel == channel]
        model_class = getattr(importlib.import_module(module), model)
        counts = dict(
            model_class.objects.filter(marker__in=markers, **filters)
            .values_list("marker")
            .annotate(n=Count("pk"))
            .order_by()
        )
        records[channel] = sum(counts.values())
        for marker in markers:
            if counts.get(marker, 0) == 0:
                lost.append(f"{channel} {marker}: no record")
            elif counts[marker] > 1:
                duplicated.append(f"{channel} {marker}: {counts[marker]} records")
    return {
        "deliveries": len(deliveries),
        "records": records,
        "lost": lost,
        "duplicated": duplicated,
        "by_page": by_page_channel,
    }


def attempt_outcomes(approved: list[Approved]) -> Counter:
    from django.db.models import Count

    from publishing.models import DeliveryAttempt

    rows = (
        DeliveryAttempt.objects.filter(delivery__publication__page_id__in=[s.page_id for s in approved])
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter(dict(rows))


# --- the run ---------------------------------------------------------------------------------


def prepare(args, env: dict, name: str, logdir: Path) -> dict:
    if args.template:
        print(f"cloning {args.template} into {name}…", flush=True)
        _execute(
            args.database_url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{args.template}"',
        )
    else:
        _execute(
            args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
    started = time.monotonic()
    static = subprocess.Popen(  # collectstatic needs no database: alongside the migration and demo
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(logdir / "collectstatic.log", "wb"),  # noqa: SIM115
    )
    manage(env, "migrate", "--noinput", "-v0")
    if args.template:
        run_python(env, "-c", RESTORE_FLUSHED)
    manage(env, "demo", "--force", "--password", PASSWORD)
    seeded = json.loads(run_python(env, "-c", SETUP).strip().splitlines()[-1])
    if static.wait():
        raise RuntimeError(f"collectstatic failed:\n{(logdir / 'collectstatic.log').read_text()[-3000:]}")
    print(f"migrated and seeded in {time.monotonic() - started:.0f}s", flush=True)
    return seeded


def start_s3():
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the S3 server's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    client.create_bucket(Bucket=BUCKET)
    return server, client, url


def run(args) -> int:
    run_id = f"{random.randrange(36**4):04X}"
    name = args.database
    url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
    logdir = Path(tempfile.mkdtemp(prefix="cluster-logs-"))
    var = Path(tempfile.mkdtemp(prefix="cluster-var-"))
    s3_server, s3_client, s3_url = start_s3()
    env = bench_env(
        var,
        f"cluster-{os.getpid()}",
        DATABASE_URL=url,
        REDIS_URL=args.redis_url,
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=s3_url,
        S3_ACCESS_KEY_ID="bench",
        S3_SECRET_ACCESS_KEY="bench",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        PUBLISHING_LEASE_SECONDS=str(args.lease),
        HUEY_WORKERS=str(args.huey_threads),
        SMS_RATE_LIMIT="1000000",  # one partner key polls far more often than a real partner
        SMS_QUIET_HOURS="",  # messages visible at once, whatever the local time
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # workflow notices
        HUEY_LOG_LEVEL="WARNING",
    )
    print(
        f"cluster: 2 web processes × {args.web_workers} gunicorn workers, 2 huey workers × {args.huey_threads} "
        f"threads (A periodic, B --no-periodic); PostgreSQL {name}, Redis {args.redis_url}, S3 {s3_url}; "
        f"{args.stories} stories, {args.readers} readers; kill web B and worker "
        f"{'A (periodic)' if args.kill_worker == 'periodic' else 'B (--no-periodic)'}"
        f"{f', restarted after {args.restart_after:g}s' if args.restart else ', not restarted'}; lease {args.lease}s",
        flush=True,
    )
    webs: list[Web] = []
    consumers = None
    status = 1
    try:
        seeded = prepare(args, env, name, logdir)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        webs = [Web(env, label, args.web_workers, logdir) for label in ("A", "B")]
        consumers = Consumers(env, 2, args.huey_threads, str(logdir))
        for web in webs:
            web.start()
        consumers.start_all()
        for web in webs:
            web.wait_ready()

        stats = Stats()
        balancer = Balancer([web.port for web in webs], stats)
        editor, approver = Browser(balancer, "bientap"), Browser(balancer, "pheduyet")
        editor.login(PASSWORD)
        approver.login(PASSWORD)
        stats.served.clear()

        approved: list[Approved] = []
        seen = Seen()
        stop, halfway = threading.Event(), threading.Event()
        readers = []
        for n in range(args.readers):
            kind = ("portal", "sms", "led")[n % 3]
            target = {
                "portal": lambda n=n: portal_reader(balancer, seeded, approved, stop, random.Random(n)),
                "sms": lambda: sms_reader(balancer, seeded, seen, stop),
                "led": lambda: led_reader(balancer, seeded, seen, stop),
            }[kind]
            readers.append(threading.Thread(target=target, daemon=True))
        flow_error: list[BaseException] = []

        def flow():
            try:
                run_flow(args, editor, approver, seeded, run_id, approved, halfway)
            except Exception as error:  # noqa: BLE001 - raised again in the main thread
                flow_error.append(error)
                halfway.set()
            finally:
                connections.close_all()

        def dispatcher():
            """huey's one-minute dispatch tick, more often (a short run cannot wait a minute)."""
            from publishing.delivery import deliveries_dispatch

            while not dispatched.wait(args.dispatch_every):
                deliveries_dispatch()
            connections.close_all()

        dispatched = threading.Event()
        if args.dispatch_every:
            threading.Thread(target=dispatcher, daemon=True).start()
        started = time.monotonic()
        for thread in readers:
            thread.start()
        flow_thread = threading.Thread(target=flow)
        flow_thread.start()
        halfway.wait()
        killed_slot = 0 if args.kill_worker == "periodic" else 1
        balancer.mark_killed(webs[1].port)  # before the signal: what started earlier was in flight
        webs[1].kill()
        consumers.kill(killed_slot)
        print(
            f"killed web B (:{webs[1].port}; web A is :{webs[0].port}) and worker {'AB'[killed_slot]} at {time.monotonic() - started:.1f}s",
            flush=True,
        )
        if args.restart:
            time.sleep(args.restart_after)
            consumers.start(killed_slot)
            print(f"worker {'AB'[killed_slot]} restarted at {time.monotonic() - started:.1f}s", flush=True)
        flow_thread.join()
        if flow_error:
            raise flow_error[0]
        created = time.monotonic() - started

        from publishing.models import TERMINAL_STATUSES, Delivery

        pending = Delivery.objects.filter(publication__page_id__in=[s.page_id for s in approved]).exclude(
            status__in=TERMINAL_STATUSES
        )
        settled = wait_until(lambda: not pending.exists(), timeout=args.wait, interval=0.5)
        slugs = {story.slug for story in approved}
        markers = {story.marker for story in approved}
        wait_until(
            lambda: all(slugs <= set(got) for got in seen.sms) and markers <= seen.led,
            timeout=15,
            interval=0.5,
        )
        stop.set()
        dispatched.set()
        for thread in readers:
            thread.join(40)
        elapsed = time.monotonic() - started

        result = check_deliveries(approved)
        outcomes = attempt_outcomes(approved)
        sms_missing = sorted({slug for got in seen.sms for slug in slugs - set(got)})
        sms_twice = sorted({slug for got in seen.sms for slug in slugs if got[slug] > 1})
        led_missing = sorted(markers - seen.led)
        latencies = []
        for story in approved:
            sent = [
                row.sent_at.timestamp()
                for (page, _c, _t), rows in result["by_page"].items()
                if page == story.page_id
                for row in rows
                if row.sent_at
            ]
            if sent:
                latencies.append(max(sent) - story.approved_at)
        objects = s3_client.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)

        print(
            f"\n{len(approved)} stories written and approved over HTTP in {created:.0f}s; run {elapsed:.0f}s"
        )
        print(
            f"deliveries settled: {settled}; {result['deliveries']} delivery rows; attempts: {dict(outcomes)}"
        )
        print(f"channel records: {result['records']}")
        served = sum(stats.served.values())
        errors = sum(stats.errors.values())
        in_flight = sum(stats.in_flight.values())
        print(f"requests served: {served} {dict(stats.served)}")
        print(f"failed on the dead web process after its death and sent to the other: {stats.failovers}")
        print(f"in flight on web B when it was killed: {in_flight} {dict(stats.in_flight)}")
        print(f"errors (beyond those): {errors} {dict(stats.errors)}")
        for sample in stats.samples:
            print(f"  {sample}")
        print(
            f"SMS partner saw {len(slugs) - len(sms_missing)}/{len(slugs)} messages in each of its "
            f"{len(seen.sms)} readers ({len(sms_twice)} more than once); LED screen showed {len(markers) - len(led_missing)}/"
            f"{len(markers)} items, {seen.frames} frames fetched; S3 objects: {objects}"
        )
        lost = len(result["lost"]) + len(sms_missing) + len(led_missing)
        duplicated = len(result["duplicated"]) + len(sms_twice)
        for line in (result["lost"] + result["duplicated"])[:20]:
            print(f"  {line}")
        if latencies:
            print(
                f"approve → delivered on every channel: median {statistics.median(latencies):.2f}s, "
                f"p95 {percentile(latencies, 0.95):.2f}s, max {max(latencies):.2f}s"
            )
        print(f"lost: {lost}  duplicated: {duplicated}  errors: {errors}")
        print(f"logs: {logdir}", flush=True)
        ok = settled and lost == 0 and duplicated == 0 and errors == 0 and len(approved) == args.stories
        status = 0 if ok else 1
        connections.close_all()
    finally:
        for web in webs:
            web.stop()
        if consumers:
            consumers.stop_all()
        s3_server.stop()
        if not args.keep:
            with contextlib.suppress(Exception):
                _execute(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import shutil

        shutil.rmtree(var, ignore_errors=True)
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a maintenance database on the PostgreSQL server",
    )
    parser.add_argument("--database", default="bench_cluster", help="created afresh (dropped at the end)")
    parser.add_argument("--template", help="clone this migrated database instead of migrating from scratch")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--readers", type=int, default=6, help="portal, SMS and LED readers, in turn")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between two stories")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per web process")
    parser.add_argument("--huey-threads", type=int, default=2, help="threads per huey worker")
    parser.add_argument("--kill-worker", choices=["periodic", "plain"], default="periodic")
    parser.add_argument(
        "--restart",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="restart the killed worker (web B stays down either way)",
    )
    parser.add_argument("--restart-after", type=float, default=5)
    parser.add_argument("--lease", type=int, default=15, help="PUBLISHING_LEASE_SECONDS")
    parser.add_argument(
        "--dispatch-every",
        type=float,
        default=0,
        help="also run the delivery dispatcher from here every N seconds (default: only huey's minute)",
    )
    parser.add_argument(
        "--wait", type=float, default=150, help="seconds to wait for every delivery to settle"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
