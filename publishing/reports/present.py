"""The frozen figures made readable: translated titles and labels, formatted cells, drawn charts.

The admin page, the XLSX and the DOCX all read a snapshot through `present()`, so they show the
same numbers and the same pictures.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from publishing.reports import charts

NUMERIC = {"int", "hours", "percent"}


def kind_labels() -> dict[str, str]:
    from hub.models import StoryPage

    return {
        model._meta.model_name.removesuffix("page"): str(model._meta.verbose_name)
        for model in _subclasses(StoryPage)
    }


def _subclasses(cls):
    for sub in cls.__subclasses__():
        if not sub._meta.abstract:
            yield sub
        yield from _subclasses(sub)


def label(value, kind: str, *, kinds: dict | None = None) -> str:
    """One cell as text."""
    if value is None or value == "":
        return "—"
    if kind == "kind":
        return capfirst(str((kinds or kind_labels()).get(value, value)))
    if kind == "language":
        from hub.languages import BY_CODE

        language = BY_CODE.get(value)
        return capfirst(_(language.name)) if language else str(value)
    if kind == "phase":
        from hub.models import Phase

        return str(Phase(value).label) if value in Phase.values else str(value)
    if kind == "label":
        return _(value)
    if kind in NUMERIC:
        return charts.fmt(value)
    if kind == "datetime":
        moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        return moment.strftime("%d/%m/%Y %H:%M")
    return str(value)


def cell_value(value, kind: str, *, kinds: dict | None = None):
    """One cell for a spreadsheet: numbers stay numbers, the rest becomes text."""
    if kind in NUMERIC and value is not None:
        return value
    return label(value, kind, kinds=kinds)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    types: list[str]
    raw_rows: list[list]
    kinds: dict
    charts: list = field(default_factory=list)

    @cached_property
    def rows(self) -> list[list[str]]:
        return [
            [label(v, t, kinds=self.kinds) for v, t in zip(row, self.types, strict=True)]
            for row in self.raw_rows
        ]

    @cached_property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Rows of (text, is a number) for templates that align numbers right."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]

    @cached_property
    def numeric(self) -> list[bool]:
        return [t in NUMERIC for t in self.types]

    def values(self) -> list[list]:
        return [
            [cell_value(v, t, kinds=self.kinds) for v, t in zip(row, self.types, strict=True)]
            for row in self.raw_rows
        ]


@dataclass
class Chart:
    ident: str
    spec: dict
    title: str
    labels: list[str]
    series: list[tuple[str, list]]
    table: Table | None

    @cached_property
    def drawing(self) -> charts.Drawing:
        return charts.layout(self.spec, title=self.title, labels=self.labels, series=self.series)

    @cached_property
    def description(self) -> str:
        return charts.describe(self.spec, labels=self.labels, series=self.series)

    @cached_property
    def svg(self) -> str:
        return charts.to_svg(self.drawing, title=self.title, description=self.description, ident=self.ident)

    def png(self) -> bytes:
        return charts.to_png(self.drawing)


@dataclass
class Section:
    number: int
    key: str
    title: str
    notes: list[str]
    tables: list[Table]
    charts: list[Chart]


def _note(msgid: str, params: dict) -> str:
    shown = {
        key: charts.fmt(value) if isinstance(value, int | float) else value for key, value in params.items()
    }
    shown = {key: "—" if value is None else value for key, value in shown.items()}
    return _(msgid) % shown if params else _(msgid)


def present(figures: dict) -> list[Section]:
    kinds = kind_labels()
    sections = []
    for number, raw in enumerate(figures.get("sections", []), start=1):
        tables = {
            t["key"]: Table(
                key=t["key"],
                title=_(t["title"]),
                headers=[_(c["label"]) for c in t["columns"]],
                types=[c["type"] for c in t["columns"]],
                raw_rows=t["rows"],
                kinds=kinds,
            )
            for t in raw.get("tables", [])
        }
        drawn = []
        for index, spec in enumerate(raw.get("charts", []), start=1):
            source = tables.get(spec.get("table"))
            first_type = source.types[0] if source else "text"
            drawn.append(
                Chart(
                    ident=f"chart-{raw['key']}-{index}",
                    spec=spec,
                    title=_(spec["title"]),
                    labels=[label(value, first_type, kinds=kinds) for value in spec["labels"]],
                    series=[(_(s["name"]), s["values"]) for s in spec["series"]],
                    table=source,
                )
            )
        for drawn_chart in drawn:
            if drawn_chart.table is not None:
                drawn_chart.table.charts.append(drawn_chart)
        sections.append(
            Section(
                number=number,
                key=raw["key"],
                title=_(raw["title"]),
                notes=[_note(msgid, params) for msgid, params in raw.get("notes", [])],
                tables=list(tables.values()),
                charts=drawn,
            )
        )
    return sections
