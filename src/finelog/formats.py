"""Rows for output and their serialisations: json, jsonl, csv, tsv, markdown; pure functions."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TextIO, assert_never

from finelog.vocab import Sector, ViolationType

if TYPE_CHECKING:
    from finelog.models import Decision, Event, Order, Source
    from finelog.query import SummaryRow
    from finelog.vocab import GroupBy

Row = dict[str, Any]


class Format(StrEnum):
    """How a command prints its rows."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an int when whole, else a float with the same digits."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# The JSON contract of a decision: these keys, in this order. Add keys; never rename them.
DECISION_KEYS: Final = (
    "id", "regulator", "regulator_name", "country", "decision_date", "date_precision",
    "announced_date", "entity", "entity_description", "entity_group", "role", "controller",
    "sector", "kind", "amount", "currency", "amount_eur", "amount_eur_basis", "standing",
    "standing_eur", "status", "payment", "articles", "laws", "violation_types", "affected",
    "case_number", "etid", "privacyaffairs", "enforces", "replaces", "summary", "notes", "events", "orders",
    "parts", "sources", "provenance",
)  # fmt: skip

SUMMARY_KEYS: Final = (
    "key", "label", "count", "amounts_known", "total_eur", "median_eur", "mean_eur", "max_eur", "share",
    "amounts",
)  # fmt: skip


def decision_row(decision: Decision) -> Row:
    """A decision as the JSON contract describes it."""
    euro, basis = decision.euro
    links = decision.links
    row: Row = {
        "id": decision.id,
        "regulator": decision.regulator,
        "regulator_name": decision.authority.name,
        "country": decision.country,
        "decision_date": str(decision.decision_date),
        "date_precision": decision.decision_date.precision.value,
        "announced_date": str(decision.announced_date) if decision.announced_date else None,
        "entity": decision.entity.name,
        "entity_description": decision.entity.description,
        "entity_group": decision.entity.group,
        "role": decision.entity.role.value,
        "controller": decision.entity.controller,
        "sector": decision.sector.value,
        "kind": decision.kind.value,
        "amount": number(decision.amount),
        "currency": decision.currency,
        "amount_eur": number(euro),
        "amount_eur_basis": basis.value if basis else None,
        "standing": number(decision.standing),
        "standing_eur": number(decision.standing_eur),
        "status": decision.status.value,
        "payment": decision.payment,
        "articles": [str(ref) for ref in decision.articles],
        "laws": decision.laws,
        "violation_types": [v.value for v in decision.violation_types],
        "affected": decision.affected,
        "case_number": decision.case_number,
        "etid": decision.references.etid if decision.references else None,
        "privacyaffairs": decision.references.privacyaffairs if decision.references else None,
        "enforces": links.enforces if links else None,
        "replaces": links.replaces if links else None,
        "summary": decision.summary,
        "notes": decision.notes,
        "events": [_event_row(event) for event in decision.events],
        "orders": [_order_row(order) for order in decision.orders],
        "parts": [{"amount": number(p.amount), "description": p.description,
                   "articles": [str(a) for a in p.articles]} for p in decision.parts],
        "sources": [_source_row(source) for source in decision.sources],
        "provenance": decision.provenance,
    }  # fmt: skip
    return row


def _event_row(event: Event) -> Row:
    """An event as JSON."""
    return {
        "date": str(event.date),
        "kind": event.kind.value,
        "court": event.court,
        "amount": number(event.amount),
        "case_number": event.case_number,
        "note": event.note,
        "source": event.source,
    }


def _order_row(order: Order) -> Row:
    """An order as JSON."""
    penalty = order.periodic_penalty
    return {
        "description": order.description,
        "deadline_days": order.deadline_days,
        "periodic_penalty": None if penalty is None else
        {"amount": number(penalty.amount), "currency": penalty.currency, "per": penalty.per},
    }  # fmt: skip


def _source_row(source: Source) -> Row:
    """A source as JSON."""
    return {"url": source.url, "kind": source.kind.value, "title": source.title}


def group_fields(by: Sequence[GroupBy]) -> tuple[str, ...]:
    """The fields naming a summary row's group: `key`, `label`; for several keys, `year`, `year_label`, ..."""
    if len(by) == 1:
        return SUMMARY_KEYS[:2]
    return tuple(field for key in by for field in (key.value, f"{key.value}_label"))


def summary_keys(by: Sequence[GroupBy]) -> tuple[str, ...]:
    """The keys of a summary row, in order, for one grouping key or several."""
    return group_fields(by) + SUMMARY_KEYS[2:]


def summary_row(row: SummaryRow) -> Row:
    """A summary row as the JSON contract describes it."""
    named = (value for pair in zip(row.keys, row.labels, strict=True) for value in pair)
    return {
        **dict(zip(group_fields(row.by), named, strict=True)),
        "count": row.count,
        "amounts_known": row.amounts_known,
        "total_eur": number(row.total_eur),
        "median_eur": number(row.median_eur),
        "mean_eur": number(row.mean_eur),
        "max_eur": number(row.max_eur),
        "share": None if row.share is None else float(row.share),
        "amounts": "standing" if row.standing else "imposed",
    }


def write_json(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """A JSON array, one object per line, so that it streams and diffs well."""
    opened = False
    for row in rows:
        out.write(",\n " if opened else "[")
        out.write(json.dumps(row, ensure_ascii=False))
        opened = True
    out.write("]\n" if opened else "[]\n")


def write_jsonl(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """One JSON object per line."""
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def flat(value: Any) -> str:
    """A cell for CSV: lists of text joined by `; `, nested objects as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
    return str(value)


FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t")


def spreadsheet_cell(value: Any) -> str:
    """flat(value) with every line break one newline, and a leading `'` on text a spreadsheet would run.

    A bare carriage return would end the row (the writer quotes only around newlines), and a cell
    such as `=HYPERLINK(...)` would be a live formula.
    """
    text = flat(value).replace("\r\n", "\n").replace("\r", "\n")
    if not isinstance(value, (int, float)) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_delimited(
    rows: Sequence[Mapping[str, Any]], keys: Sequence[str], out: TextIO, delimiter: str
) -> None:
    """CSV or TSV with a header row, every cell flattened and none a formula."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow(
            [spreadsheet_cell(row.get(key)).replace("\t", " ").replace("\n", " ") if delimiter == "\t"
             else spreadsheet_cell(row.get(key)) for key in keys]
        )  # fmt: skip


@dataclass(frozen=True)
class Column:
    """A column of a human-readable table: which key, its header, how its cells read."""

    key: str
    header: str
    numeric: bool = False
    cell: Callable[[Mapping[str, Any]], str] | None = None
    detail: str | None = None
    essential: bool = False  # never dropped to fit: a summary's keys, the value top ranks by
    currency: str | None = None  # the key of an amount's currency, which a cell shows beside it

    def text(self, row: Mapping[str, Any]) -> str:
        """The cell's text for one row."""
        if self.cell is not None:
            return self.cell(row)
        return flat(row.get(self.key))


def thousands(value: int | float | None, places: int = 0) -> str:
    """1234567 as `1,234,567`; nothing as an empty cell."""
    if value is None:
        return ""
    return f"{value:,.{places}f}"


def percent(share: float | None) -> str:
    """A share between 0 and 1 as `24.6%`; an unknown one as an empty cell."""
    return "" if share is None else f"{share * 100:.1f}%"


def to_the_cent(value: int | float | None) -> str:
    """An amount a record states, whole: `35,258,707.95` keeps its cents, `1,000,000` has none."""
    if value is None or float(value).is_integer():
        return thousands(value)
    return thousands(value, 2)


def _money(currency: str | None, amount: int | float) -> str:
    """An amount to the cent after its currency, where known: `GBP 250,000`."""
    return f"{currency or ''} {to_the_cent(amount)}".strip()


def money_cell(amount_key: str, currency_key: str) -> Callable[[Mapping[str, Any]], str]:
    """A cell showing an amount with its currency: `GBP 7,552,800`."""

    def cell(row: Mapping[str, Any]) -> str:
        amount = row.get(amount_key)
        return "" if amount is None else _money(row.get(currency_key), amount)

    return cell


def entity_name(row: Mapping[str, Any]) -> str:
    """The party's legal name, or who it is when unnamed: `[unnamed: a bank]`."""
    return row["entity"] or f"[unnamed: {row['entity_description']}]"


DECISION_COLUMNS: Final = (
    Column("decision_date", "date"),
    Column("regulator", "regulator"),
    Column(
        "entity",
        "entity / id",
        cell=entity_name,
        detail="id",
    ),
    Column("amount", "amount", numeric=True, cell=money_cell("amount", "currency"), currency="currency"),
    Column("amount_eur", "EUR", numeric=True, cell=lambda r: thousands(r["amount_eur"])),
    Column("standing_eur", "standing EUR", numeric=True, cell=lambda r: thousands(r["standing_eur"])),
    Column("status", "status"),
)
AFFECTED_COLUMN: Final = Column("affected", "affected", numeric=True, cell=lambda r: thousands(r["affected"]))

SUMMARY_COLUMNS: Final = (
    Column("key", "group"),
    Column("label", "name", cell=lambda r: "" if r["label"] == r["key"] else r["label"]),
    Column("count", "count", numeric=True),
    Column("total_eur", "total EUR", numeric=True, cell=lambda r: thousands(r["total_eur"])),
    Column("median_eur", "median EUR", numeric=True, cell=lambda r: thousands(r["median_eur"])),
    Column("mean_eur", "mean EUR", numeric=True, cell=lambda r: thousands(r["mean_eur"])),
    Column("max_eur", "max EUR", numeric=True, cell=lambda r: thousands(r["max_eur"])),
    Column("share", "share", numeric=True, cell=lambda r: percent(r["share"])),
)


def summary_columns_by(by: Sequence[GroupBy]) -> tuple[Column, ...]:
    """A summary's columns by several keys: one per key, headed by its name, then the figures."""
    return tuple(Column(key.value, key.value, essential=True) for key in by) + SUMMARY_COLUMNS[2:]


def _markdown_escape(text: str) -> str:
    """Keep a cell inside its column."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown_cell(column: Column, row: Mapping[str, Any]) -> str:
    """A cell's text, with its detail in parentheses."""
    text = column.text(row)
    return f"{text} ({row[column.detail]})" if column.detail else text


def write_markdown(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], out: TextIO, *, ranked: bool = False
) -> None:
    """A GitHub-flavoured Markdown table, numbers right-aligned; ranked, a `#` column first, as in a table."""
    out.write("| " + " | ".join(["#"] * ranked + [c.header for c in columns]) + " |\n")
    out.write("|" + "|".join(["---:"] * ranked + ["---:" if c.numeric else "---" for c in columns]) + "|\n")
    for rank, row in enumerate(rows, start=1):
        cells = [str(rank)] * ranked + [_markdown_escape(_markdown_cell(c, row)) for c in columns]
        out.write("| " + " | ".join(cells) + " |\n")


Field = tuple[str, str]


def decision_fields(row: Mapping[str, Any]) -> list[Field]:
    """A decision's labelled facts, from its regulator to its orders; those it lacks left out."""
    role = row["role"].replace("_", " ") + (f" for {row['controller']}" if row["controller"] else "")
    announced = f" (announced {row['announced_date']})" if row["announced_date"] else ""
    group = f", group {row['entity_group']}" if row["entity_group"] else ""
    return _present([
        ("Regulator", f"{row['regulator']} - {row['regulator_name']} ({row['country']})"),
        ("Decided", f"{row['decision_date']}{announced}"),
        ("Case", row["case_number"]),
        ("Entity", f"{entity_name(row)} ({role}){group}"),
        ("Sector", Sector(row["sector"]).label),
        ("Sanction", f"{row['kind'].replace('_', ' ')}: {_amounts(row)}"),
        *[("  part", f"{part['description']}: {_money(row['currency'], part['amount'])}")
          for part in row["parts"]],
        ("Status", row["status"] + (f", {row['payment']}" if row["payment"] else "")),
        ("Stands at", _standing(row)),
        ("Articles", ", ".join(row["articles"])),
        ("Violations", "; ".join(ViolationType(v).label for v in row["violation_types"])),
        ("Affected", thousands(row["affected"]) if row["affected"] is not None else None),
        *[("Order", _order_text(order)) for order in row["orders"]],
    ])  # fmt: skip


def link_fields(row: Mapping[str, Any], enforced_by: Sequence[str]) -> list[Field]:
    """Linked decisions, tracker ids and where an imported record came from; those it lacks left out."""
    return _present([
        ("Enforces", row["enforces"]),
        ("Replaces", row["replaces"]),
        ("Enforced by", ", ".join(enforced_by)),
        ("Tracker id", row["etid"]),
        ("PrivacyAffairs id", row["privacyaffairs"]),
        ("Provenance", row["provenance"]),
    ])  # fmt: skip


def _present(fields: Sequence[tuple[str, str | None]]) -> list[Field]:
    """The fields that have a value."""
    return [(label, value) for label, value in fields if value]


def _standing(row: Mapping[str, Any]) -> str | None:
    """What stands after appeals, where it differs from the amount imposed: `GBP 250,000 (EUR 286,457)`."""
    if row["standing"] is None or row["standing"] == row["amount"]:
        return None
    text = _money(row["currency"], row["standing"])
    if row["currency"] != "EUR":
        text += f" (EUR {thousands(row['standing_eur'])})"
    return text


def _amounts(row: Mapping[str, Any]) -> str:
    """`GBP 7,552,800 (EUR 8,920,279, ECB reference rate)`."""
    if row["amount"] is None:
        return "no amount" if row["kind"] in ("reprimand", "order") else "unknown"
    text = _money(row["currency"], row["amount"])
    if row["currency"] != "EUR" and row["amount_eur"] is not None:
        ecb = row["amount_eur_basis"] == "ecb"
        euros = thousands(row["amount_eur"]) if ecb else to_the_cent(row["amount_eur"])
        text += f" (EUR {euros}, {'ECB reference rate' if ecb else 'stated by the authority'})"
    return text


def _order_text(order: Mapping[str, Any]) -> str:
    """An order with its deadline and periodic penalty."""
    clauses = []
    if order.get("deadline_days") is not None:
        clauses.append(f"within {order['deadline_days']} days")
    penalty = order.get("periodic_penalty")
    if penalty:
        clauses.append(f"penalty {_money(penalty['currency'], penalty['amount'])} per {penalty['per']}")
    return _followed_by(str(order["description"]), clauses)


def _followed_by(text: str, clauses: Sequence[str]) -> str:
    """Text and its clauses: `Delete it; within 30 days`; after a full stop, `Delete it. Within 30 days.`."""
    if not text.endswith((".", "!", "?")):
        return "; ".join([text, *clauses])
    return " ".join([text, *(clause[:1].upper() + clause[1:] + "." for clause in clauses)])


def event_text(event: Mapping[str, Any], currency: str | None) -> str:
    """An event of the timeline in one line; an amount is in the decision's currency."""
    text = str(event["kind"]).replace("_", " ")
    if event["amount"] is not None:
        text += f" to {_money(currency, event['amount'])}"
    if event["court"]:
        text += f" ({event['court']})"
    if event["note"]:
        text += f": {event['note']}"
    return text


def source_text(source: Mapping[str, Any]) -> str:
    """A source's address and kind: `https://... (authority)`."""
    return f"{source['url']} ({source['kind']})"


def write_decision_markdown(row: Mapping[str, Any], out: TextIO, enforced_by: Sequence[str] = ()) -> None:
    """One decision in full as Markdown: a table of its facts, its summary and note, events, sources."""
    out.write(f"## {_markdown_escape(entity_name(row))}\n\n`{row['id']}`\n\n| field | value |\n|---|---|\n")
    for label, value in [*decision_fields(row), *link_fields(row, enforced_by)]:
        out.write(f"| {label.strip()} | {_markdown_escape(value)} |\n")
    if row["summary"]:
        out.write(f"\n{row['summary']}\n")
    if row["notes"]:
        out.write(f"\nNote: {row['notes']}\n")
    events = [f"{e['date']}: {event_text(e, row['currency'])}" for e in row["events"]]
    _write_markdown_list("Events", events, out)
    _write_markdown_list("Sources", [source_text(source) for source in row["sources"]], out)


def _write_markdown_list(title: str, items: Sequence[str], out: TextIO) -> None:
    """A titled bullet list, or nothing when there are no items."""
    if items:
        out.write(f"\n### {title}\n\n" + "".join(f"- {_markdown_escape(item)}\n" for item in items))


def write_rows(
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    columns: Sequence[Column],
    fmt: Format,
    out: TextIO,
    *,
    ranked: bool = False,
) -> None:
    """Write rows in any machine format (everything but the Rich table); ranked Markdown numbers them."""
    match fmt:
        case Format.JSON:
            write_json(rows, out)
        case Format.JSONL:
            write_jsonl(rows, out)
        case Format.CSV:
            write_delimited(rows, keys, out, ",")
        case Format.TSV:
            write_delimited(rows, keys, out, "\t")
        case Format.MARKDOWN:
            write_markdown(rows, columns, out, ranked=ranked)
        case Format.TABLE:
            raise ValueError("tables are drawn by finelog.render")
        case _:
            assert_never(fmt)
