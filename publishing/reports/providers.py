"""The figure providers: one function per section, each a handful of aggregate queries.

Every provider takes a `ReportContext` and returns a section (see `figures`). Rows are counted
where they are attributed:
- stories by their publication time; retractions by their retraction time;
- approvals by the time the step was decided;
- deliveries by the time they were created (with the publication), whatever happened later;
- SMS by the time the message entered the feed, with every partner report received up to the
  build (a partner acking after the period still counts for the message's period);
- LED items when they were in the playlists during the period;
- social posts by the time they were posted, retractions by the time they were retracted.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.expressions import Window
from django.db.models.functions import Cast, Left, RowNumber, TruncDate
from django.utils import translation
from django.utils.translation import gettext_noop
from wagtail.models import Page, TaskState, WorkflowState

from publishing.models import Delivery, DeliveryAttempt, DeliveryStatus
from publishing.reports.figures import ReportContext, chart, section, table
from publishing.reports.selectors import organisation_pages

PERCENTILES = {0.5: (1, 2), 0.9: (9, 10)}  # p: (numerator, denominator), exact in integers
CAUSE_LENGTH = 160
TOP_CAUSES = 15
SOCIAL_CHANNELS = ("facebook", "x")
# The columns of the stories counted by kind and by language, in the order of `stories`' counts.
COUNT_COLUMNS = [
    (gettext_noop("New stories"), "int"),
    (gettext_noop("Updates"), "int"),
    (gettext_noop("Retracted"), "int"),
]


def _msgid(label) -> str:
    """The untranslated message id of a lazy label (snapshots keep message ids, not translations)."""
    with translation.override(None):
        return str(label)


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _in(field: str, context: ReportContext) -> Q:
    return Q(**{f"{field}__gte": context.start, f"{field}__lt": context.end})


def _per_day(queryset, field: str, context: ReportContext, *, total=None) -> list:
    """Values per local day of the period (0 for days without rows), from one grouped query."""
    rows = (
        queryset.annotate(day=TruncDate(field, tzinfo=_zone()))
        .values("day")
        .annotate(value=total if total is not None else Count("pk"))
        .order_by("day")
    )
    found = {_as_date(row["day"]): row["value"] or 0 for row in rows}
    return [found.get(day, 0) for day in context.period.days]


def _as_date(value) -> datetime.date:
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _day_labels(context: ReportContext) -> list[str]:
    return [day.strftime("%d/%m") for day in context.period.days]


def _hours(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def percentiles(queryset, duration, *, group: str | None = None) -> dict:
    """{group value: {"count": n, 0.5: timedelta, 0.9: timedelta}} by nearest rank, in the database.

    One query: each row is numbered within its group by duration, and only the rows at the ranks
    ceil(p × n) come back (at most two per group).
    """
    partition = [F(group)] if group else None
    ranked = queryset.annotate(_duration=ExpressionWrapper(duration, output_field=DurationField())).annotate(
        _rank=Window(RowNumber(), partition_by=partition, order_by=F("_duration").asc()),
        _count=Window(Count("pk"), partition_by=partition),
    )
    wanted = Q()
    for numerator, denominator in PERCENTILES.values():
        wanted |= Q(_rank=(F("_count") * numerator + denominator - 1) / denominator)
    rows = ranked.filter(wanted).values(*([group] if group else []), "_rank", "_count", "_duration")
    result: dict = {}
    for row in rows:
        key = row[group] if group else None
        entry = result.setdefault(key, {"count": row["_count"]})
        for p, (numerator, denominator) in PERCENTILES.items():
            if row["_rank"] == (row["_count"] * numerator + denominator - 1) // denominator:
                entry[p] = row["_duration"]
    return result


def stories(context: ReportContext) -> dict:
    published_in = _in("published_at", context)
    retracted_in = _in("retracted_at", context)
    counted = context.publications.filter(published_in | retracted_in)
    counts = {
        "first": Count("pk", filter=published_in & Q(previous__isnull=True)),
        "updates": Count("pk", filter=published_in & Q(previous__isnull=False)),
        "retracted": Count("pk", filter=retracted_in),
    }

    def counted_by(field: str) -> list[list]:
        rows = counted.values(field).annotate(**counts).order_by(field)
        return [[row[field], *(row[name] for name in counts)] for row in rows]

    kind_rows = counted_by("kind")
    # A translation is a story of its own (its publication carries its language): how many reached
    # readers of Thái or H'Mông is a figure of its own.
    language_rows = counted_by("language")
    published = context.publications.filter(published_in)
    by_region = list(
        published.values(region=F("regions__name")).annotate(count=Count("pk")).order_by("-count", "region")
    )
    per_day = _per_day(published, "published_at", context)
    totals = {name: sum(row[column] for row in kind_rows) for column, name in enumerate(counts, start=1)}
    region_rows = [[row["region"] or gettext_noop("Whole area"), row["count"]] for row in by_region]
    return section(
        "stories",
        gettext_noop("Stories published"),
        notes=[
            (
                gettext_noop("%(first)s stories published, %(updates)s updates, %(retracted)s retracted."),
                totals,
            )
        ],
        tables=[
            table(
                "stories_by_kind",
                gettext_noop("Stories by kind"),
                [(gettext_noop("Kind"), "kind"), *COUNT_COLUMNS],
                kind_rows,
            ),
            table(
                "stories_by_language",
                gettext_noop("Stories by language"),
                [(gettext_noop("Language"), "language"), *COUNT_COLUMNS],
                language_rows,
            ),
            table(
                "stories_by_region",
                gettext_noop("Stories by region"),
                [(gettext_noop("Region"), "label"), (gettext_noop("Publications"), "int")],
                region_rows,
            ),
            table(
                "stories_per_day",
                gettext_noop("Publications per day"),
                [(gettext_noop("Day"), "text"), (gettext_noop("Publications"), "int")],
                [[label, value] for label, value in zip(_day_labels(context), per_day, strict=True)],
            ),
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("Stories by kind"),
                "stories_by_kind",
                [row[0] for row in kind_rows],
                [
                    (gettext_noop("New stories"), [row[1] for row in kind_rows]),
                    (gettext_noop("Updates"), [row[2] for row in kind_rows]),
                ],
            ),
            chart(
                "line",
                gettext_noop("Publications per day"),
                "stories_per_day",
                _day_labels(context),
                [(gettext_noop("Publications"), per_day)],
            ),
        ],
    )


def _workflow_states(context: ReportContext):
    from publishing.models import Publication

    pages = organisation_pages(context.organisation).exclude(
        pk__in=Publication.objects.filter(is_exercise=True, page_id__isnull=False).values("page_id")
    )
    if context.region is not None or context.kind:
        pages = pages.filter(pk__in=context.publications.values("page_id"))
    page_ids = pages.annotate(key=Cast("pk", output_field=CharField())).values("key")
    return WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=page_ids
    )


def approvals(context: ReportContext) -> dict:
    states = _workflow_states(context)
    decided = TaskState.objects.filter(workflow_state__in=states.values("pk")).filter(
        _in("finished_at", context)
    )
    by_step = {
        row["task__name"]: row
        for row in decided.values("task__name").annotate(
            approved=Count("pk", filter=Q(status=TaskState.STATUS_APPROVED)),
            rejected=Count("pk", filter=Q(status=TaskState.STATUS_REJECTED)),
        )
    }
    step_times = percentiles(
        decided.filter(status=TaskState.STATUS_APPROVED),
        F("finished_at") - F("started_at"),
        group="task__name",
    )
    last_decision = (
        TaskState.objects.filter(workflow_state=OuterRef("pk"), status=TaskState.STATUS_APPROVED)
        .order_by("-finished_at")
        .values("finished_at")[:1]
    )
    approved_workflows = (
        states.filter(status=WorkflowState.STATUS_APPROVED)
        .annotate(done=Subquery(last_decision))
        .filter(_in("done", context))
    )
    overall = percentiles(approved_workflows, F("done") - F("created_at")).get(None, {"count": 0})
    rows = []
    for name in sorted(by_step):
        times = step_times.get(name, {})
        rows.append(
            [
                name,
                by_step[name]["approved"],
                by_step[name]["rejected"],
                _hours(times.get(0.5)),
                _hours(times.get(0.9)),
            ]
        )
    rows.append(
        [
            gettext_noop("Submission to approval (whole workflow)"),
            overall["count"],
            None,
            _hours(overall.get(0.5)),
            _hours(overall.get(0.9)),
        ]
    )
    step_rows = rows[:-1]
    return section(
        "approvals",
        gettext_noop("Time from submission to approval"),
        notes=[
            (
                gettext_noop(
                    "%(count)s stories approved; median %(median)s h, 90th percentile %(p90)s h from submission."
                ),
                {
                    "count": overall["count"],
                    "median": _hours(overall.get(0.5)),
                    "p90": _hours(overall.get(0.9)),
                },
            )
        ],
        tables=[
            table(
                "approval_times",
                gettext_noop("Approval time per workflow step"),
                [
                    (gettext_noop("Step"), "label"),
                    (gettext_noop("Approvals"), "int"),
                    (gettext_noop("Returned for changes"), "int"),
                    (gettext_noop("Median (hours)"), "hours"),
                    (gettext_noop("90th percentile (hours)"), "hours"),
                ],
                rows,
            )
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("Approval time per workflow step (hours)"),
                "approval_times",
                [row[0] for row in step_rows],
                [
                    (gettext_noop("Median"), [row[3] or 0 for row in step_rows]),
                    (gettext_noop("90th percentile"), [row[4] or 0 for row in step_rows]),
                ],
            )
        ]
        if step_rows
        else [],
    )


def deliveries(context: ReportContext) -> dict:
    created = Delivery.objects.filter(
        publication__in=context.publications.values("pk"),
        created_at__gte=context.start,
        created_at__lt=context.end,
    )
    by_channel: dict[str, dict[str, int]] = {}
    for row in created.values("channel", "status").annotate(count=Count("pk")).order_by("channel", "status"):
        by_channel.setdefault(row["channel"], {})[row["status"]] = row["count"]
    statuses = [
        status for status in DeliveryStatus.values if any(status in row for row in by_channel.values())
    ]
    causes = list(
        created.filter(status=DeliveryStatus.FAILED)
        .annotate(cause=Left("last_error", CAUSE_LENGTH))
        .values("channel", "cause")
        .annotate(count=Count("pk"))
        .order_by("-count", "channel", "cause")[:TOP_CAUSES]
    )
    attempts = list(
        DeliveryAttempt.objects.filter(delivery__in=created.values("pk"))
        .values("action", "outcome")
        .annotate(count=Count("pk"))
        .order_by("action", "outcome")
    )
    channels = sorted(by_channel)
    rows = [
        [channel, *[by_channel[channel].get(s, 0) for s in statuses], sum(by_channel[channel].values())]
        for channel in channels
    ]
    total = sum(row[-1] for row in rows)
    failed = sum(by_channel[c].get(DeliveryStatus.FAILED, 0) for c in channels)
    return section(
        "deliveries",
        gettext_noop("Deliveries by channel"),
        notes=[
            (gettext_noop("%(total)s deliveries, %(failed)s failed."), {"total": total, "failed": failed})
        ],
        tables=[
            table(
                "deliveries_by_channel",
                gettext_noop("Deliveries by channel and status"),
                [
                    (gettext_noop("Channel"), "text"),
                    *[(_msgid(DeliveryStatus(s).label), "int") for s in statuses],
                    (gettext_noop("Total"), "int"),
                ],
                rows,
            ),
            table(
                "delivery_failures",
                gettext_noop("Failed deliveries by cause"),
                [
                    (gettext_noop("Channel"), "text"),
                    (gettext_noop("Cause"), "text"),
                    (gettext_noop("Deliveries"), "int"),
                ],
                [[row["channel"], row["cause"] or "—", row["count"]] for row in causes],
            ),
            table(
                "delivery_attempts",
                gettext_noop("Attempts"),
                [
                    (gettext_noop("Operation"), "text"),
                    (gettext_noop("Outcome"), "text"),
                    (gettext_noop("Attempts"), "int"),
                ],
                [[row["action"], row["outcome"] or "—", row["count"]] for row in attempts],
            ),
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("Deliveries by channel"),
                "deliveries_by_channel",
                channels,
                [
                    (gettext_noop("Sent"), [by_channel[c].get(DeliveryStatus.SENT, 0) for c in channels]),
                    (gettext_noop("Failed"), [by_channel[c].get(DeliveryStatus.FAILED, 0) for c in channels]),
                ],
            )
        ]
        if channels
        else [],
    )


def sms(context: ReportContext) -> dict:
    from channels.sms.models import AckStatus, EntryKind, FeedEntry, SmsAck

    entries = FeedEntry.objects.filter(
        kind=EntryKind.MESSAGE,
        publication__in=context.publications.values("pk"),
        created_at__gte=context.start,
        created_at__lt=context.end,
    )
    acks = SmsAck.objects.filter(entry__in=entries.values("pk"))
    sent = Q(status=AckStatus.SENT)
    by_partner = list(
        acks.values("partner__name")
        .annotate(
            messages=Count("pk"),
            sent=Count("pk", filter=sent),
            failed=Count("pk", filter=~sent),
            recipients=Sum("recipients", filter=sent),
            late=Count("pk", filter=Q(at__gte=context.end)),
        )
        .order_by("partner__name")
    )
    by_region = list(
        acks.filter(sent)
        .values(region=F("entry__publication__regions__name"))
        .annotate(messages=Count("pk"), recipients=Sum("recipients"))
        .order_by("-recipients", "region")
    )
    messages = entries.count()
    per_day = _per_day(acks.filter(sent), "entry__created_at", context, total=Sum("recipients"))
    partner_rows = [
        [
            row["partner__name"],
            row["messages"],
            row["sent"],
            row["failed"],
            row["recipients"] or 0,
            row["late"],
        ]
        for row in by_partner
    ]
    recipients = sum(row[4] for row in partner_rows)
    return section(
        "sms",
        gettext_noop("SMS messages"),
        notes=[
            (
                gettext_noop(
                    "%(messages)s messages in the partner feed; %(recipients)s recipients reached as reported by partners."
                ),
                {"messages": messages, "recipients": recipients},
            )
        ],
        tables=[
            table(
                "sms_by_partner",
                gettext_noop("SMS by partner"),
                [
                    (gettext_noop("Partner"), "text"),
                    (gettext_noop("Messages reported"), "int"),
                    (gettext_noop("Sent"), "int"),
                    (gettext_noop("Failed or rejected"), "int"),
                    (gettext_noop("Recipients reached"), "int"),
                    (gettext_noop("Reported after the period"), "int"),
                ],
                partner_rows,
            ),
            table(
                "sms_by_region",
                gettext_noop("SMS recipients by region"),
                [
                    (gettext_noop("Region"), "label"),
                    (gettext_noop("Messages sent"), "int"),
                    (gettext_noop("Recipients reached"), "int"),
                ],
                [
                    [row["region"] or gettext_noop("Whole area"), row["messages"], row["recipients"] or 0]
                    for row in by_region
                ],
            ),
            table(
                "sms_per_day",
                gettext_noop("SMS recipients per day"),
                [(gettext_noop("Day"), "text"), (gettext_noop("Recipients reached"), "int")],
                [[label, value] for label, value in zip(_day_labels(context), per_day, strict=True)],
            ),
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("Recipients reached by partner"),
                "sms_by_partner",
                [row[0] for row in partner_rows],
                [(gettext_noop("Recipients reached"), [row[4] for row in partner_rows])],
            ),
            chart(
                "line",
                gettext_noop("SMS recipients per day"),
                "sms_per_day",
                _day_labels(context),
                [(gettext_noop("Recipients reached"), per_day)],
            ),
        ],
    )


def led(context: ReportContext) -> dict:
    from channels.led.models import PlaylistItem, Screen

    screens = Screen.objects.filter(active=True)
    for region in (context.organisation.region, context.region):
        if region is not None:
            screens = screens.within(region)
    now = context.now or context.end
    seen = Q(last_seen_at__gte=context.start)
    online = Q(last_seen_at__gte=now - datetime.timedelta(minutes=settings.LED_OFFLINE_MINUTES))
    by_region = list(
        screens.values(region_name=F("region__name"))
        .annotate(screens=Count("pk"), seen=Count("pk", filter=seen), online=Count("pk", filter=online))
        .order_by("region_name")
    )
    items = PlaylistItem.objects.filter(
        publication__in=context.publications.values("pk"),
        valid_from__lt=context.end,
        valid_until__gt=context.start,
    ).aggregate(
        shown=Count("pk"),
        urgent=Count("pk", filter=Q(priority="urgent")),
        retracted=Count("pk", filter=Q(retracted_at__gte=context.start, retracted_at__lt=context.end)),
    )
    total = sum(row["screens"] for row in by_region)
    seen_total = sum(row["seen"] for row in by_region)
    share = round(100 * seen_total / total, 1) if total else None
    rows = [
        [
            row["region_name"],
            row["screens"],
            row["seen"],
            round(100 * row["seen"] / row["screens"], 1),
            row["online"],
        ]
        for row in by_region
    ]
    return section(
        "led",
        gettext_noop("LED screens"),
        notes=[
            (
                gettext_noop(
                    "%(seen)s of %(total)s active screens (%(share)s%%) reported since the period began; %(shown)s messages were in their playlists, %(urgent)s urgent, %(retracted)s retracted."
                ),
                {"seen": seen_total, "total": total, "share": share, **items},
            ),
            (
                gettext_noop(
                    "Screens do not report proof of play: a message counts when it was in the screens' playlists during the period."
                ),
                {},
            ),
        ],
        tables=[
            table(
                "led_screens",
                gettext_noop("LED screens online"),
                [
                    (gettext_noop("Region"), "text"),
                    (gettext_noop("Active screens"), "int"),
                    (gettext_noop("Reported since the period began"), "int"),
                    (gettext_noop("Share online (%)"), "percent"),
                    (gettext_noop("Online when the report was built"), "int"),
                ],
                rows,
            )
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("LED screens online share (%)"),
                "led_screens",
                [row[0] for row in rows],
                [(gettext_noop("Share online (%)"), [row[3] for row in rows])],
            )
        ]
        if rows
        else [],
    )


def loudspeakers(context: ReportContext) -> dict | None:
    """Plays reported by the stations (proof of play) and bulletins first played in the period."""
    from channels.loudspeaker.selectors import station_figures

    stations = station_figures(start=context.start, end=context.end, organisation=context.organisation)
    if not stations:
        return None
    rows = [
        [
            f"{station.code} · {station.name}",
            station.played,
            station.skipped,
            station.failed,
            station.delivered,
        ]
        for station in stations
    ]
    played = sum(row[1] for row in rows)
    heard = sum(1 for row in rows if row[1])
    return section(
        "loudspeakers",
        gettext_noop("Loudspeaker stations"),
        notes=[
            (
                gettext_noop(
                    "%(heard)s of %(total)s stations played bulletins in the period, %(played)s plays in all, as the stations reported them."
                ),
                {"heard": heard, "total": len(rows), "played": played},
            )
        ],
        tables=[
            table(
                "loudspeaker_plays",
                gettext_noop("Plays by station"),
                [
                    (gettext_noop("Station"), "text"),
                    (gettext_noop("Played"), "int"),
                    (gettext_noop("Skipped"), "int"),
                    (gettext_noop("Failed"), "int"),
                    (gettext_noop("Bulletins delivered"), "int"),
                ],
                rows,
            )
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("Plays by station"),
                "loudspeaker_plays",
                [row[0] for row in rows],
                [(gettext_noop("Played"), [row[1] for row in rows])],
            )
        ],
    )


CLAIM_STATUS_LABELS = {
    "new": gettext_noop("New"),
    "verifying": gettext_noop("Verifying"),
    "false": gettext_noop("False"),
    "misleading": gettext_noop("Misleading"),
    "true": gettext_noop("True"),
    "not_checkable": gettext_noop("Not checkable"),
    "answered": gettext_noop("Answered"),
}


def rumours(context: ReportContext) -> dict | None:
    """Rumours and questions from citizens and officials, and how fast they were answered."""
    from hub.intake.selectors import intake_figures

    figures = intake_figures(organisation=context.organisation, start=context.start, end=context.end)
    if not figures["reports"] and not figures["answered"]:
        return None
    statuses = [
        [CLAIM_STATUS_LABELS.get(status, status), count]
        for status, count in figures["claims_by_status"].items()
    ]
    regions = [[row["region"] or "—", row["reports"], row["claims"]] for row in figures["by_region"]]
    days = [[day.isoformat(), count] for day, count in figures["reports_per_day"]]
    return section(
        "rumours",
        gettext_noop("Rumours and questions"),
        notes=[
            (
                gettext_noop(
                    "%(reports)s reports came in, %(questions)s of them questions; %(answered)s claims were answered, a median of %(hours)s hours after they were first reported."
                ),
                {
                    "reports": figures["reports"],
                    "questions": figures["questions"],
                    "answered": figures["answered"],
                    "hours": figures["median_hours_to_rebuttal"] if figures["answered"] else "—",
                },
            )
        ],
        tables=[
            table(
                "rumour_claims",
                gettext_noop("Claims by status"),
                [(gettext_noop("Status"), "label"), (gettext_noop("Claims"), "int")],
                statuses,
            ),
            table(
                "rumour_regions",
                gettext_noop("Reports by region"),
                [
                    (gettext_noop("Region"), "text"),
                    (gettext_noop("Reports"), "int"),
                    (gettext_noop("Claims"), "int"),
                ],
                regions,
            ),
            table(
                "rumour_days",
                gettext_noop("Reports per day"),
                [(gettext_noop("Day"), "date"), (gettext_noop("Reports"), "int")],
                days,
            ),
        ],
        charts=[
            chart(
                "line",
                gettext_noop("Reports per day"),
                "rumour_days",
                [row[0] for row in days],
                [(gettext_noop("Reports"), [row[1] for row in days])],
            )
        ]
        if days
        else [],
    )


def social(context: ReportContext) -> dict:
    channels = getattr(settings, "REPORTS_SOCIAL_CHANNELS", SOCIAL_CHANNELS)
    posted = _in("sent_at", context)
    retracted = Q(status=DeliveryStatus.RETRACTED) & _in("updated_at", context)
    failed = Q(status=DeliveryStatus.FAILED) & _in("created_at", context)
    rows = list(
        Delivery.objects.filter(channel__in=channels, publication__in=context.publications.values("pk"))
        .filter(posted | retracted | failed)
        .values("channel")
        .annotate(
            posted=Count("pk", filter=posted),
            retracted=Count("pk", filter=retracted),
            failed=Count("pk", filter=failed),
            sandbox=Count("pk", filter=posted & Q(sandbox=True)),
        )
        .order_by("channel")
    )
    table_rows = [
        [row["channel"], row["posted"], row["retracted"], row["failed"], row["sandbox"]] for row in rows
    ]
    totals = {
        "posted": sum(row[1] for row in table_rows),
        "retracted": sum(row[2] for row in table_rows),
    }
    return section(
        "social",
        gettext_noop("Social media posts"),
        notes=[(gettext_noop("%(posted)s posts made, %(retracted)s retracted."), totals)],
        tables=[
            table(
                "social_posts",
                gettext_noop("Posts by network"),
                [
                    (gettext_noop("Channel"), "text"),
                    (gettext_noop("Posted"), "int"),
                    (gettext_noop("Retracted"), "int"),
                    (gettext_noop("Failed"), "int"),
                    (gettext_noop("Of which in sandbox"), "int"),
                ],
                table_rows,
            )
        ],
        charts=[
            chart(
                "bar",
                gettext_noop("Social media posts"),
                "social_posts",
                [row[0] for row in table_rows],
                [
                    (gettext_noop("Posted"), [row[1] for row in table_rows]),
                    (gettext_noop("Retracted"), [row[2] for row in table_rows]),
                ],
            )
        ]
        if table_rows
        else [],
    )


def phases(context: ReportContext) -> dict | None:
    from hub.models import CampaignSettings, Phase, PhaseChange

    site = context.organisation.site
    if site is None:
        return None
    changes = PhaseChange.objects.filter(site=site)
    before = (
        changes.filter(changed_at__lt=context.start).order_by("-changed_at", "-pk").values("to_phase").first()
    )
    within = list(
        changes.filter(_in("changed_at", context))
        .order_by("changed_at", "pk")
        .values("from_phase", "to_phase", "changed_at")
    )
    if before is not None:
        phase = before["to_phase"]
    elif within and within[0]["from_phase"]:
        phase = within[0]["from_phase"]
    else:
        phase = CampaignSettings.for_site(site).phase if not within else Phase.NEW_NORMAL
    rows, since = [], context.start
    for change in within:
        rows.append(_phase_row(phase, since, change["changed_at"]))
        phase, since = change["to_phase"], change["changed_at"]
    rows.append(_phase_row(phase, since, context.end))
    outbreak_days = round(sum(row[3] for row in rows if row[0] == Phase.OUTBREAK), 1)
    return section(
        "phases",
        gettext_noop("Campaign phases"),
        notes=[
            (
                gettext_noop("%(days)s days in the outbreak phase; %(changes)s phase changes."),
                {"days": outbreak_days, "changes": len(within)},
            )
        ],
        tables=[
            table(
                "phases",
                gettext_noop("Campaign phase periods"),
                [
                    (gettext_noop("Phase"), "phase"),
                    (gettext_noop("From"), "datetime"),
                    (gettext_noop("Until"), "datetime"),
                    (gettext_noop("Days"), "hours"),
                ],
                rows,
            )
        ],
    )


def exercises(context: ReportContext) -> dict | None:
    """The drills of the period and what they published: listed apart, never in the figures above."""
    from hub.models import ExercisePeriod
    from publishing.reports.selectors import publications_for

    periods = list(
        ExercisePeriod.objects.filter(organisation=context.organisation, started_at__lt=context.end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=context.start))
        .select_related("started_by", "ended_by")
        .order_by("started_at", "pk")
    )
    drills = (
        publications_for(context.organisation, region=context.region, kind=context.kind, exercise=True)
        .filter(_in("published_at", context))
        .annotate(channels_reached=Count("deliveries__channel", distinct=True))
        .order_by("published_at", "pk")
    )
    stories = [[row.published_at.isoformat(), row.kind, row.title, row.channels_reached] for row in drills]
    if not periods and not stories:
        return None
    period_rows = [
        [
            period.started_at.isoformat(),
            _person(period.started_by),
            period.ended_at.isoformat() if period.ended_at else "",
            _person(period.ended_by),
            period.retracted,
        ]
        for period in periods
    ]
    return section(
        "exercises",
        gettext_noop("Exercises"),
        notes=[
            (
                gettext_noop(
                    "%(periods)s exercise periods, %(stories)s exercise publications; "
                    "none of them is counted in the figures above."
                ),
                {"periods": len(period_rows), "stories": len(stories)},
            )
        ],
        tables=[
            table(
                "exercise_periods",
                gettext_noop("Exercise periods"),
                [
                    (gettext_noop("Started"), "datetime"),
                    (gettext_noop("Started by"), "text"),
                    (gettext_noop("Ended"), "datetime"),
                    (gettext_noop("Ended by"), "text"),
                    (gettext_noop("Stories withdrawn"), "int"),
                ],
                period_rows,
            ),
            table(
                "exercise_publications",
                gettext_noop("Exercise publications"),
                [
                    (gettext_noop("Published"), "datetime"),
                    (gettext_noop("Kind"), "kind"),
                    (gettext_noop("Title"), "text"),
                    (gettext_noop("Channels"), "int"),
                ],
                stories,
            ),
        ],
    )


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _phase_row(phase: str, start: datetime.datetime, end: datetime.datetime) -> list:
    return [phase, start.isoformat(), end.isoformat(), round((end - start).total_seconds() / 86400, 2)]
