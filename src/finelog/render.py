"""Rich tables and panels for people at a terminal; the only module that imports Rich."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from finelog.formats import Column, thousands
from finelog.vocab import Sector, ViolationType

BAR_WIDTH = 20
_NO_WRAP = frozenset({"id", "decision_date", "regulator", "status", "key", "code", "country"})
_FLEXIBLE = frozenset({"entity", "label", "name", "group"})
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
        fixed = _fixed(column)
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


def _fixed(column: Column) -> bool:
    """Whether a column must not wrap: numbers, codes, and the keys telling rows apart (names may wrap)."""
    return column.numeric or column.key in _NO_WRAP or (column.essential and column.key not in _FLEXIBLE)


def _fixed_width(column: Column, rows: Sequence[Mapping[str, Any]]) -> int:
    """The width a column that must not wrap needs, padding included."""
    return max([len(column.header), *(len(column.text(row)) for row in rows)]) + 2


def fit_columns(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], width: int) -> list[Column]:
    """Drop the least needed columns until the rest fit, leaving room for the flexible ones."""
    kept = list(columns)
    for key in _DROP_ORDER:
        fixed = sum(_fixed_width(c, rows) for c in kept if _fixed(c))
        flexible = sum(
            max(MIN_FLEXIBLE, _min_width(c, rows, False) or 0) + 2 for c in kept if c.key in _FLEXIBLE
        )
        if fixed + flexible <= width:
            break
        kept = [c for c in kept if c.key != key or c.essential]
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


def _line(label: str, value: str | Text | None) -> tuple[Text, Text] | None:
    """One labelled line of a panel, or nothing when there is no value."""
    if value is None or value == "":
        return None
    return Text(label, style="bold"), value if isinstance(value, Text) else Text(value)


def print_decision(row: Mapping[str, Any], out: TextIO, enforced_by: Sequence[str] = ()) -> None:
    """One decision in full: amounts in both currencies, articles, timeline, links, sources."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for line in _decision_lines(row, enforced_by):
        if line is not None:
            grid.add_row(*line)
    title = Text(row["entity"] or f"[unnamed: {row['entity_description']}]", style="bold")
    parts: list[Any] = [grid]
    if row["summary"]:
        parts += [Text(""), Text(row["summary"])]
    if row["notes"]:
        parts += [Text(""), Text("Note: " + row["notes"], style="italic")]
    from rich.console import Group
    from rich.panel import Panel

    console(out).print(Panel(Group(*parts), title=title, subtitle=Text(row["id"]), box=box.ROUNDED))


def _amounts(row: Mapping[str, Any]) -> str:
    """`GBP 7,552,800 (EUR 8,920,279, ECB reference rate)`."""
    if row["amount"] is None:
        return "no amount" if row["kind"] in ("reprimand", "order") else "unknown"
    text = f"{row['currency']} {thousands(row['amount'])}"
    if row["currency"] != "EUR" and row["amount_eur"] is not None:
        basis = "ECB reference rate" if row["amount_eur_basis"] == "ecb" else "stated by the authority"
        text += f"  (EUR {thousands(row['amount_eur'])}, {basis})"
    return text


def _decision_lines(row: Mapping[str, Any], enforced_by: Sequence[str]) -> list[tuple[Text, Text] | None]:
    """The labelled lines of the decision panel."""
    entity = row["entity"] or f"[unnamed: {row['entity_description']}]"
    role = row["role"].replace("_", " ")
    if row["controller"]:
        role += f" for {row['controller']}"
    standing = None
    if row["standing"] is not None and row["standing"] != row["amount"]:
        standing = f"{row['currency']} {thousands(row['standing'])} (EUR {thousands(row['standing_eur'])})"
    announced = f" (announced {row['announced_date']})" if row["announced_date"] else ""
    return [
        _line("Regulator", f"{row['regulator']} - {row['regulator_name']} ({row['country']})"),
        _line("Decided", f"{row['decision_date']}{announced}"),
        _line("Case", row["case_number"]),
        _line(
            "Entity",
            f"{entity} ({role})" + (f", group {row['entity_group']}" if row["entity_group"] else ""),
        ),
        _line("Sector", Sector(row["sector"]).label),
        _line("Sanction", f"{row['kind'].replace('_', ' ')}: {_amounts(row)}"),
        *[
            _line("  part", f"{p['description']}: {row['currency']} {thousands(p['amount'])}")
            for p in row["parts"]
        ],
        _line("Status", row["status"] + (f", {row['payment']}" if row["payment"] else "")),
        _line("Stands at", standing),
        _line("Articles", ", ".join(row["articles"])),
        _line("Violations", "; ".join(ViolationType(v).label for v in row["violation_types"])),
        _line("Affected", thousands(row["affected"]) if row["affected"] is not None else None),
        *[_line("Order", _order_text(order)) for order in row["orders"]],
        *[_line(f"  {event['date']}", _event_text(event)) for event in row["events"]],
        _line("Enforces", row["enforces"]),
        _line("Replaces", row["replaces"]),
        _line("Enforced by", ", ".join(enforced_by)),
        _line("Tracker id", row["etid"]),
        *[_line("Source", f"{s['url']} ({s['kind']})") for s in row["sources"]],
    ]


def _order_text(order: Mapping[str, Any]) -> str:
    """An order with its deadline and periodic penalty."""
    text = str(order["description"])
    if order.get("deadline_days") is not None:
        text += f"; within {order['deadline_days']} days"
    penalty = order.get("periodic_penalty")
    if penalty:
        text += f"; penalty {penalty['currency']} {thousands(penalty['amount'])} per {penalty['per']}"
    return text


def _event_text(event: Mapping[str, Any]) -> str:
    """An event of the timeline in one line."""
    text = str(event["kind"]).replace("_", " ")
    if event["amount"] is not None:
        text += f" to {thousands(event['amount'])}"
    if event["court"]:
        text += f" ({event['court']})"
    if event["note"]:
        text += f": {event['note']}"
    return text


@contextmanager
def progress(total: int, description: str, out: TextIO) -> Iterator[Callable[[], None]]:
    """A progress bar on out while the body runs; it calls the function it is given once per step."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console(out), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
