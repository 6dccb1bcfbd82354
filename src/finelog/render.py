"""Rich tables and panels for people at a terminal; the only module that imports Rich."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from finelog import formats
from finelog.formats import Column

BAR_WIDTH = 20
_FLEXIBLE = frozenset({"entity", "label", "name", "group"})
# Data columns a narrow terminal may hide, least needed first: the id repeats the regulator and
# the year; the amount as imposed is the authority's own figure; what stands after an appeal
# matters most. A summary's figures matter more than the names of its groups (their codes stay),
# and the median most of them, as a few huge fines dwarf the rest. The entity and id, EUR and
# status (a fine may be annulled), the group, count, total and share are always shown.
_DROP_ORDER = (
    "regulator",
    "decision_date",
    "amount",
    "standing_eur",
    "label",
    "mean_eur",
    "max_eur",
    "median_eur",
)
_GAP = 3  # between two columns: a space of padding either side of a one-space divider


class _Console(Console):
    """Rich's console, leaving a closed pipe to the caller as every other format does."""

    def on_broken_pipe(self) -> None:
        """Raise BrokenPipeError again, where Rich would exit 1 on its own."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def console(out: TextIO) -> Console:
    """A console that writes to out; Rich honours NO_COLOR, FORCE_COLOR, COLUMNS and TERM.

    No markup or emoji codes: every cell is a Text already, and a header or name holding
    `[...]` or `:...:` must print as written (it also spares loading Rich's emoji table).
    """
    return _Console(file=out, highlight=False, soft_wrap=False, markup=False, emoji=False)


def bar(share: float | None, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar for a share between 0 and 1, in eighths of a character; none for an unknown share."""
    if share is None:
        return Text("")
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
) -> list[str]:
    """Rows as a table, every value whole; returns what was left out for width (`share bar`, headers).

    Prose (names) wraps; amounts, counts, dates and ids never do. A narrow terminal loses the
    share bar first, then data columns in _DROP_ORDER (never an essential one); if what is left is
    still too wide, the table is drawn wider than the terminal rather than cropped.
    """
    screen = console(out)
    columns = [currency_in_header(column, rows) for column in columns]
    rank = [len(str(len(rows)))] if ranked else []
    bars = [bar(row[bar_key]) for row in rows] if bar_key else []
    bar_width = [max(b.cell_len for b in bars)] if any(bars) else []  # as wide as the longest bar
    fits_bar = bool(bar_width) and table_width([*rank, *widths(columns, rows), *bar_width]) <= screen.width
    shown = columns if fits_bar else fit_columns(columns, rows, screen.width, beside=rank)
    drawn = bar_width if fits_bar else []
    screen.width = max(screen.width, table_width([*rank, *widths(shown, rows), *drawn]))
    screen.print(_table(rows, shown, ranked=ranked, bars=bars if fits_bar else []))
    dropped_bar = [f"{bar_key} bar"] if bar_width and not fits_bar else []
    return dropped_bar + [column.header for column in columns if column not in shown]


def _table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], *, ranked: bool, bars: Sequence[Text]
) -> Table:
    """The table of these columns, each as wide as its values need, prose wrapping at words."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    if ranked:
        table.add_column("#", justify="right", no_wrap=True)
    for column, width in zip(columns, widths(columns, rows), strict=True):
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            no_wrap=column.key not in _FLEXIBLE,
            overflow="fold",
            min_width=width,
        )
    if bars:
        table.add_column("", no_wrap=True)
    for index, row in enumerate(rows, start=1):
        cells: list[Text] = [Text(str(index))] if ranked else []
        cells += [_cell(column, row) for column in columns]
        table.add_row(*cells, *bars[index - 1 : index])
    return table


def currency_in_header(column: Column, rows: Sequence[Mapping[str, Any]]) -> Column:
    """An amount column whose amounts are all in one currency but the euro names it once, in its header.

    `amount NOK` over `20,000,000` is four characters narrower than `NOK 20,000,000`, and so fits more
    often beside the rest; a column of euros keeps `EUR` in its cells, apart from the EUR column.
    """
    if column.currency is None:
        return column
    currencies = {row.get(column.currency) for row in rows if row.get(column.key) is not None}
    if len(currencies) != 1 or currencies & {None, "EUR"}:
        return column
    header = f"{column.header} {currencies.pop()}"
    return replace(
        column, header=header, cell=lambda row: formats.to_the_cent(row.get(column.key)), currency=None
    )


def fit_columns(
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    width: int,
    beside: Sequence[int] = (),
) -> list[Column]:
    """Drop the least needed data columns (in _DROP_ORDER, never an essential one) until the rest fit.

    Then put back, most needed first, any column dropped on the way that fits beside the rest.
    beside: the widths of the other columns the table has (the rank).
    """
    need = dict(zip(columns, widths(columns, rows), strict=True))  # each column measured once

    def fits(shown: Sequence[Column]) -> bool:
        """Whether these columns, and the others beside them, fit in the width."""
        return table_width([*beside, *(need[column] for column in shown)]) <= width

    kept = list(columns)
    dropped: list[str] = []
    for key in drop_order(rows):
        if fits(kept):
            break
        if any(c.key == key and not c.essential for c in kept):
            dropped.append(key)
        kept = [c for c in kept if c.key != key or c.essential]
    for key in reversed(dropped[:-1]):  # a column dropped early may fit again beside what is left
        wider = [c for c in columns if c in kept or c.key == key]
        if fits(wider):
            kept = wider
    return kept


def drop_order(rows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """_DROP_ORDER, but the amount as imposed goes first when every row's is in euros (EUR says it)."""
    if all(row.get("currency") in ("EUR", None) for row in rows):
        return ("amount", *(key for key in _DROP_ORDER if key != "amount"))
    return _DROP_ORDER


def table_width(column_widths: Sequence[int]) -> int:
    """How wide a table is whose columns hold this many characters each."""
    return sum(column_widths) + _GAP * (len(column_widths) - 1)


def widths(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """The fewest characters each column needs without cropping or folding a value."""
    return [_least_width(column, rows) for column in columns]


def _least_width(column: Column, rows: Sequence[Mapping[str, Any]]) -> int:
    """A value column's widest cell; a prose column's longest word or detail (an id): it wraps at spaces."""
    texts = [column.text(row) for row in rows]
    if column.key not in _FLEXIBLE:
        return max(map(cell_len, [column.header, *texts]))
    words = [word for text in texts for word in text.split()]
    details = [str(row.get(column.detail) or "") for row in rows] if column.detail else []
    return max(map(cell_len, [column.header, *words, *details]))


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
        *[(f"  {event['date']}", formats.event_text(event, row["currency"])) for event in row["events"]],
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

    screen = console(out)
    title, footer = (
        Text(formats.entity_name(row), style="bold"),
        Text(row["id"]),
    )
    if _fits_in_border(title, screen.width) and _fits_in_border(footer, screen.width):
        screen.print(Panel(Group(*parts), title=title, subtitle=footer, box=box.ROUNDED))
    else:  # a border would crop them: the name wraps above the facts, the id stays whole below
        screen.print(Group(title, Text(""), *parts, Text("")))
        screen.print(footer, soft_wrap=True)


def _fits_in_border(text: Text, width: int) -> bool:
    """Whether a panel this wide shows the text whole in its top or bottom border, a space either side."""
    return text.cell_len + 2 <= width - 4


@contextmanager
def progress(total: int, description: str, out: TextIO) -> Iterator[Callable[[], None]]:
    """A progress bar on out while the body runs; it calls the function it is given once per step."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console(out), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
