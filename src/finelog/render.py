"""Rich tables and panels for people at a terminal; the only module that imports Rich."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from finelog import formats
from finelog.formats import Column

BAR_WIDTH = 20
_NO_WRAP = frozenset({"id", "decision_date", "regulator", "status", "key", "code", "country"})
_FLEXIBLE = frozenset({"entity", "label", "name"})
_DROP_ORDER = (
    "standing_eur",
    "status",
    "mean_eur",
    "max_eur",
    "median_eur",
    "label",
    "amount",
    "regulator",
)
MIN_FLEXIBLE = 26


def console(out: TextIO) -> Console:
    """A console that writes to out; Rich honours NO_COLOR, FORCE_COLOR, COLUMNS and TERM.

    No markup or emoji codes: every cell is a Text already, and a header or name holding
    `[...]` or `:...:` must print as written (it also spares loading Rich's emoji table).
    """
    return Console(file=out, highlight=False, soft_wrap=False, markup=False, emoji=False)


def bar(share: float, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar for a share between 0 and 1, in eighths of a character."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return Text("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else ""), style="cyan")


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    out: TextIO,
    *,
    ranked: bool = False,
    bar_key: str | None = None,
) -> None:
    """Rows as a table that fits the terminal; every cell escaped, numbers right-aligned."""
    screen = console(out)
    columns = fit_columns(
        columns, rows, screen.width - (BAR_WIDTH + 2 if bar_key else 0) - (6 if ranked else 0) - 2
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    if ranked:
        table.add_column("#", justify="right", no_wrap=True)
    for column in columns:
        fixed = column.numeric or column.key in _NO_WRAP
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            no_wrap=fixed,
            overflow="fold",
            min_width=_min_width(column, rows, fixed),
            ratio=1 if column.key in _FLEXIBLE else None,
        )
    if bar_key:
        table.add_column("", no_wrap=True)
    for index, row in enumerate(rows, start=1):
        cells: list[Text] = [Text(str(index))] if ranked else []
        cells += [_cell(column, row) for column in columns]
        if bar_key:
            cells.append(bar(float(row[bar_key])))
        table.add_row(*cells)
    screen.print(table)


def _fixed_width(column: Column, rows: Sequence[Mapping[str, Any]]) -> int:
    """The width a column that must not wrap needs, padding included."""
    return max([len(column.header), *(len(column.text(row)) for row in rows)]) + 2


def fit_columns(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], width: int) -> list[Column]:
    """Drop the least needed columns until the rest fit, leaving room for the flexible ones."""
    kept = list(columns)
    for key in _DROP_ORDER:
        fixed = sum(_fixed_width(c, rows) for c in kept if c.numeric or c.key in _NO_WRAP)
        flexible = sum(
            max(MIN_FLEXIBLE, _min_width(c, rows, False) or 0) + 2 for c in kept if c.key in _FLEXIBLE
        )
        if fixed + flexible <= width:
            break
        kept = [c for c in kept if c.key != key]
    return kept


def _min_width(column: Column, rows: Sequence[Mapping[str, Any]], fixed: bool) -> int | None:
    """Fixed columns as wide as their widest cell; a column with details as wide as those (up to 48)."""
    if fixed:
        return max((len(column.text(row)) for row in rows), default=0)
    if column.detail:
        return min(48, max((len(str(row.get(column.detail) or "")) for row in rows), default=0))
    return None


def _cell(column: Column, row: Mapping[str, Any]) -> Text:
    """A table cell, escaped by construction, with its detail dimmed on a second line."""
    text = Text(column.text(row))
    if column.detail and row.get(column.detail):
        text.append("\n" + str(row[column.detail]), style="dim")
    return text


def print_decision(row: Mapping[str, Any], out: TextIO, enforced_by: Sequence[str] = ()) -> None:
    """One decision in full: amounts in both currencies, articles, timeline, links, sources."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    lines = [
        *formats.decision_fields(row),
        *[(f"  {event['date']}", formats.event_text(event)) for event in row["events"]],
        *formats.link_fields(row, enforced_by),
        *[("Source", formats.source_text(source)) for source in row["sources"]],
    ]
    for label, value in lines:
        grid.add_row(Text(label, style="bold"), Text(value))
    parts: list[Any] = [grid]
    if row["summary"]:
        parts += [Text(""), Text(row["summary"])]
    if row["notes"]:
        parts += [Text(""), Text("Note: " + row["notes"], style="italic")]
    from rich.console import Group
    from rich.panel import Panel

    title = Text(formats.entity_name(row), style="bold")
    console(out).print(Panel(Group(*parts), title=title, subtitle=Text(row["id"]), box=box.ROUNDED))


@contextmanager
def progress(total: int, description: str, out: TextIO) -> Iterator[Callable[[], None]]:
    """A progress bar on out while the body runs; it calls the function it is given once per step."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console(out), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
