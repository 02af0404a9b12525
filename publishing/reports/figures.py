"""The registry of figure providers and the JSON shape of what they return.

A provider is one function `provider(context) -> dict | None` that returns one section of the
report (or None when it has nothing to say). The list is `settings.REPORTS_FIGURE_PROVIDERS`
(dotted paths), defaulting to `DEFAULT_PROVIDERS`: a new source of figures is one function and
one line. Every figure is computed by the database (aggregates), never by looping over rows.

A section is plain JSON, frozen in the Report:
    {"key", "title", "notes": [[msgid, {params}]], "tables": [table], "charts": [chart]}
    table: {"key", "title", "columns": [{"label", "type"}], "rows": [[cell, ...]]}
    chart: {"kind": "bar" | "line", "title", "table", "labels", "series": [{"name", "values"}]}
Titles, labels and notes are English message ids, translated when shown; column types are
text, label (a message id), int, percent, hours, date, datetime.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.utils.module_loading import import_string

from publishing.reports.periods import Period

DEFAULT_PROVIDERS = [
    "publishing.reports.providers.stories",
    "publishing.reports.providers.approvals",
    "publishing.reports.providers.deliveries",
    "publishing.reports.providers.sms",
    "publishing.reports.providers.led",
    "publishing.reports.providers.loudspeakers",
    "publishing.reports.providers.rumours",
    "publishing.reports.providers.social",
    "publishing.reports.providers.phases",
    "publishing.reports.providers.exercises",
]

SNAPSHOT_VERSION = 1


@dataclass
class ReportContext:
    organisation: object
    period: Period
    region: object = None
    kind: str = ""
    now: datetime.datetime | None = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def publications(self):
        from publishing.reports.selectors import publications_for

        return publications_for(self.organisation, region=self.region, kind=self.kind)

    @property
    def start(self) -> datetime.datetime:
        return self.period.start

    @property
    def end(self) -> datetime.datetime:
        return self.period.end


def providers() -> list[Callable]:
    paths = getattr(settings, "REPORTS_FIGURE_PROVIDERS", None) or DEFAULT_PROVIDERS
    return [import_string(path) for path in paths]


def collect(
    context: ReportContext, *, progress: Callable[[int, int, str, float], None] | None = None
) -> dict:
    """Runs every provider; returns the snapshot the report is built from."""
    sections = []
    found = providers()
    for number, provider in enumerate(found, start=1):
        began = time.monotonic()
        section = provider(context)
        if section is not None:
            sections.append(section)
        if progress is not None:
            progress(number, len(found), provider.__name__, time.monotonic() - began)
    return {
        "version": SNAPSHOT_VERSION,
        "organisation": {"id": context.organisation.pk, "name": context.organisation.name},
        "period": context.period.as_json(),
        "scope": {
            "region": context.region.name if context.region is not None else "",
            "region_code": context.region.code if context.region is not None else "",
            "kind": context.kind,
        },
        "built_at": context.now.isoformat() if context.now else "",
        "sections": sections,
    }


def table(key: str, title: str, columns: list[tuple[str, str]], rows: list[list]) -> dict:
    return {
        "key": key,
        "title": title,
        "columns": [{"label": label, "type": kind} for label, kind in columns],
        "rows": rows,
    }


def chart(kind: str, title: str, table_key: str, labels: list, series: list[tuple[str, list]]) -> dict:
    return {
        "kind": kind,
        "title": title,
        "table": table_key,
        "labels": [str(label) for label in labels],
        "series": [{"name": name, "values": list(values)} for name, values in series],
    }


def section(key: str, title: str, *, notes=(), tables=(), charts=()) -> dict:
    return {
        "key": key,
        "title": title,
        "notes": [[msgid, params] for msgid, params in notes],
        "tables": list(tables),
        "charts": list(charts),
    }
