from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SMALL_SET, record
from finelog import formats, query
from finelog.entry import entry_of
from finelog.formats import Format
from finelog.models import Decision
from finelog.vocab import GroupBy

DECISIONS = [Decision.model_validate(data) for data in SMALL_SET]
ROWS = [formats.decision_row(d) for d in DECISIONS]


def render(fmt: Format, rows: list[formats.Row] = ROWS) -> str:
    out = io.StringIO()
    formats.write_rows(rows, formats.DECISION_KEYS, formats.DECISION_COLUMNS, fmt, out)
    return out.getvalue()


def test_decision_rows_follow_the_documented_key_order() -> None:
    assert tuple(ROWS[0]) == formats.DECISION_KEYS


def test_the_json_contract_for_a_converted_fine() -> None:
    row = json.loads(render(Format.JSON))[2]
    assert row["id"] == "uk-ico-2022-clearface"
    assert (row["regulator"], row["country"], row["currency"], row["amount"]) == (
        "UK-ICO",
        "GB",
        "GBP",
        7552800,
    )
    assert row["amount_eur_basis"] == "ecb"
    assert isinstance(row["amount_eur"], float)
    assert row["articles"] == ["Art. 5(1)(a) UK-GDPR", "Art. 6 UK-GDPR"]
    assert row["laws"] == ["UK-GDPR"]
    assert row["affected"] == 1000


def test_json_amounts_are_numbers_and_dates_iso_strings() -> None:
    for row in json.loads(render(Format.JSON)):
        for key in ("amount", "amount_eur", "standing", "standing_eur"):
            assert row[key] is None or isinstance(row[key], (int, float))
        assert isinstance(row["decision_date"], str)


def test_json_is_an_array_one_object_per_line_with_a_trailing_newline() -> None:
    text = render(Format.JSON)
    assert text.endswith("]\n")
    assert len(text.splitlines()) == len(ROWS)
    assert render(Format.JSON, []) == "[]\n"


def test_non_ascii_is_kept() -> None:
    row = formats.decision_row(
        Decision.model_validate(record(entity={"name": "Société Générale", "role": "controller"}))
    )
    assert "Société" in render(Format.JSON, [row])


def test_jsonl_has_one_object_per_line() -> None:
    lines = render(Format.JSONL).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [d.id for d in DECISIONS]


@pytest.mark.parametrize(("fmt", "delimiter"), [(Format.CSV, ","), (Format.TSV, "\t")])
def test_delimited_output_has_every_key_and_flattens_lists(fmt: Format, delimiter: str) -> None:
    rows = list(csv.DictReader(io.StringIO(render(fmt)), delimiter=delimiter))
    assert list(rows[0]) == list(formats.DECISION_KEYS)
    assert rows[1]["articles"] == "Art. 5(1)(a) GDPR; Art. 28(3)(g) GDPR"
    assert json.loads(rows[1]["events"])[1]["amount"] == 20000000


def test_markdown_escapes_pipes_and_right_aligns_numbers() -> None:
    row = formats.decision_row(
        Decision.model_validate(record(entity={"name": "A | B", "role": "controller"}))
    )
    text = render(Format.MARKDOWN, [row])
    assert "A \\| B (fr-cnil-2022-acme)" in text
    assert "---:" in text.splitlines()[1]


def test_every_format_but_table_writes_something() -> None:
    for fmt in Format:
        if fmt is Format.TABLE:
            with pytest.raises(ValueError, match="render"):
                render(fmt)
        else:
            assert render(fmt).strip()


def test_summary_rows_follow_their_contract() -> None:
    entries = [entry_of(d) for d in DECISIONS]
    rows = [formats.summary_row(r) for r in query.summarise(entries, GroupBy.REGULATOR)]
    assert tuple(rows[0]) == formats.SUMMARY_KEYS
    assert all(isinstance(r["share"], float) for r in rows if r["amounts_known"])


def test_a_group_with_no_known_amount_has_no_total_and_no_share_not_zero() -> None:
    entries = [entry_of(d) for d in DECISIONS]
    rows = {r["key"]: r for r in map(formats.summary_row, query.summarise(entries, GroupBy.REGULATOR))}
    unknown = rows["IT-GARANTE"]
    assert (unknown["count"], unknown["amounts_known"]) == (1, 0)
    assert (unknown["total_eur"], unknown["share"]) == (None, None)
    cells = {c.key: c.text(unknown) for c in formats.SUMMARY_COLUMNS}
    assert (cells["total_eur"], cells["share"]) == ("", "")


@pytest.mark.parametrize(
    ("by", "named"),
    [
        ((GroupBy.YEAR,), ("key", "label")),
        ((GroupBy.SECTOR, GroupBy.KIND), ("sector", "sector_label", "kind", "kind_label")),
        (
            (GroupBy.LAW, GroupBy.YEAR, GroupBy.TYPE),
            ("law", "law_label", "year", "year_label", "type", "type_label"),
        ),
    ],
)
def test_summary_rows_name_each_grouping_key(by: tuple[GroupBy, ...], named: tuple[str, ...]) -> None:
    rows = [formats.summary_row(r) for r in query.summarise([entry_of(d) for d in DECISIONS], *by)]
    assert formats.summary_keys(by) == named + formats.SUMMARY_KEYS[2:]
    assert all(tuple(row) == formats.summary_keys(by) for row in rows)
    assert rows[0][named[1]] == query.group_label(rows[0][named[0]], by[0])


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=0, max_value=99))
def test_json_output_validates_back_into_the_model(whole: int, cents: int) -> None:
    data = record(amount=f"{whole}.{cents:02d}")
    row = json.loads(render(Format.JSON, [formats.decision_row(Decision.model_validate(data))]))[0]
    back = Decision.model_validate(
        {
            "id": row["id"],
            "regulator": row["regulator"],
            "decision_date": row["decision_date"],
            "entity": {"name": row["entity"], "role": row["role"]},
            "sector": row["sector"],
            "kind": row["kind"],
            "amount": f"{row['amount']:.2f}" if isinstance(row["amount"], float) else str(row["amount"]),
            "currency": row["currency"],
            "articles": row["articles"],
            "violation_types": row["violation_types"],
            "summary": row["summary"],
            "sources": [{"url": s["url"], "kind": s["kind"]} for s in row["sources"]],
        }
    )
    assert back.amount == Decision.model_validate(data).amount


@given(
    st.one_of(
        st.text(),
        st.lists(st.text(alphabet=st.characters(exclude_characters=";")), min_size=1),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_a_csv_cell_is_never_a_formula_nor_a_row_break_and_other_values_are_kept(value: object) -> None:
    out = io.StringIO()
    formats.write_delimited([{"entity": value}], ["entity"], out, ",")
    cell = next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))["entity"]
    plain = formats.flat(value).replace("\r\n", "\n").replace("\r", "\n")
    inert = isinstance(value, (int, float)) or not plain.startswith(("=", "+", "-", "@", "\t"))
    assert cell == (plain if inert else "'" + plain)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("35258707.95", "EUR 35,258,707.95"), ("2000000", "EUR 2,000,000"), ("1500.5", "EUR 1,500.50")],
)
def test_an_amount_a_record_states_is_shown_to_the_cent(amount: str, shown: str) -> None:
    row = formats.decision_row(Decision.model_validate(record(amount=amount)))
    fields = dict(formats.decision_fields(row))
    assert fields["Sanction"] == f"fine: {shown}"
    assert formats.money_cell("amount", "currency")(row) == shown


def fields_of(**changes: object) -> dict[str, str]:
    """A record's labelled facts as `show` prints them, with some keys changed."""
    return dict(formats.decision_fields(formats.decision_row(Decision.model_validate(record(**changes)))))


def test_what_stands_says_a_euro_amount_once_and_another_currency_in_both() -> None:
    reduced = [{"date": "2023-03-01", "kind": "reduced", "amount": "250000"}]
    assert fields_of(amount="4500000", events=reduced)["Stands at"] == "EUR 250,000"
    in_pounds = fields_of(regulator="UK-ICO", currency="GBP", amount="1350000", events=reduced)
    assert re.fullmatch(r"GBP 250,000 \(EUR [\d,]+\)", in_pounds["Stands at"])
    assert re.fullmatch(r"fine: GBP 1,350,000 \(EUR [\d,]+, ECB reference rate\)", in_pounds["Sanction"])


@pytest.mark.parametrize(
    ("description", "shown"),
    [
        (
            "Delete the data within two months.",
            "Delete the data within two months. Within 30 days. Penalty EUR 100,000 per day.",
        ),
        ("Delete the data", "Delete the data; within 30 days; penalty EUR 100,000 per day"),
    ],
)
def test_an_order_reads_as_sentences_after_a_full_stop_and_as_clauses_otherwise(
    description: str, shown: str
) -> None:
    penalty = {"amount": "100000", "currency": "EUR", "per": "day"}
    order = {"description": description, "deadline_days": 30, "periodic_penalty": penalty}
    assert fields_of(orders=[order])["Order"] == shown


def test_an_event_amount_is_in_the_currency_of_the_decision() -> None:
    event = {"date": "2023-03-01", "kind": "reduced", "amount": "250000", "court": "First-tier Tribunal"}
    data = record(regulator="UK-ICO", currency="GBP", amount="1350000", events=[event])
    row = formats.decision_row(Decision.model_validate(data))
    assert (
        formats.event_text(row["events"][0], row["currency"])
        == "reduced to GBP 250,000 (First-tier Tribunal)"
    )


def test_ranked_markdown_numbers_its_rows_as_the_table_does() -> None:
    out = io.StringIO()
    formats.write_rows(
        ROWS[:2], formats.DECISION_KEYS, formats.DECISION_COLUMNS, Format.MARKDOWN, out, ranked=True
    )
    header, rule, *lines = out.getvalue().splitlines()
    assert header.startswith("| # | date |") and rule.startswith("|---:|---|")
    assert [line.split(" | ")[0] for line in lines] == ["| 1", "| 2"]
    assert render(Format.MARKDOWN).startswith("| date |")
