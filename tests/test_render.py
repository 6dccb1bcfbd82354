"""Tables at a fixed width: every value whole, the least needed columns hidden first and named."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SMALL_SET, record
from finelog import formats, query, render
from finelog.entry import entry_of
from finelog.models import Decision
from finelog.vocab import GroupBy

BILLION = record(id="ie-dpc-2022-meta-platforms-ireland-limited", regulator="IE-DPC", amount="1200000000")
BILLION["events"] = [{"date": "2025-01-01", "kind": "annulled", "court": "High Court (Ireland)"}]
DECISIONS = [Decision.model_validate(data) for data in [*SMALL_SET, BILLION]]
ROWS = [formats.decision_row(d) for d in DECISIONS]
GROUPS = [
    formats.summary_row(r) for r in query.summarise([entry_of(d) for d in DECISIONS], GroupBy.REGULATOR)
]
WIDTHS = st.integers(min_value=40, max_value=200)


def draw(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[formats.Column], width: int, **options: Any
) -> tuple[str, list[str]]:
    """The table as printed on a terminal this wide, and the headers of the columns it hid."""
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"COLUMNS": str(width)}):
        hidden = render.print_table(rows, columns, out, **options)
    return out.getvalue(), hidden


@settings(max_examples=40, deadline=None)
@given(WIDTHS)
def test_values_and_headers_are_whole_at_any_width_and_hidden_columns_named(width: int) -> None:
    out, hidden = draw(ROWS, formats.DECISION_COLUMNS, width, ranked=True)
    for row in ROWS:
        assert row["id"] in out
        assert row["status"] in out
        assert formats.thousands(row["amount_eur"]) in out
    header = out.splitlines()[0].split()
    for column in formats.DECISION_COLUMNS:
        if column.header not in hidden:
            assert all(word in header for word in column.header.split())
            assert column.key == "entity" or all(column.text(row) in out for row in ROWS)
    assert set(hidden) <= {"date", "regulator", "amount", "standing EUR"}


@settings(max_examples=40, deadline=None)
@given(WIDTHS)
def test_the_share_bar_goes_before_any_data_column(width: int) -> None:
    out, hidden = draw(GROUPS, formats.SUMMARY_COLUMNS, width, bar_key="share")
    assert not (hidden and "█" in out)
    assert ("share bar" in hidden) != ("█" in out)
    for column in formats.SUMMARY_COLUMNS:
        assert (column.header in out.splitlines()[0]) != (column.header in hidden)


def test_a_wide_terminal_shows_every_column_and_the_bar() -> None:
    out, hidden = draw(GROUPS, formats.SUMMARY_COLUMNS, 200, bar_key="share")
    assert hidden == []
    assert "█" in out


def test_essential_columns_stay_however_narrow() -> None:
    kept = ("decision_date", "standing_eur")
    columns = [replace(c, essential=c.key in kept) for c in formats.DECISION_COLUMNS]
    _, hidden = draw(ROWS, columns, 40)
    assert hidden == ["regulator", "amount"]


def test_names_wrap_at_words_and_ids_stay_whole_on_their_line() -> None:
    name = "Meta Platforms Ireland Limited, trading as Facebook and Instagram in the Union"
    long = record(id="ie-dpc-2022-meta", regulator="IE-DPC", entity={"name": name, "role": "controller"})
    row = formats.decision_row(Decision.model_validate(long))
    out, _ = draw([*ROWS, row], formats.DECISION_COLUMNS, 40)
    lines = out.splitlines()
    assert name not in out and set(name.split()) <= set(out.split())
    assert sum(line.startswith(tuple(name.split())) for line in lines) > 1
    assert all(any(line.startswith(f"{r['id']} ") for line in lines) for r in [*ROWS, row])


@settings(max_examples=40, deadline=None)
@given(WIDTHS)
def test_the_amount_as_imposed_goes_first_when_every_row_is_in_euros(width: int) -> None:
    euro_rows = [row for row in ROWS if row["currency"] == "EUR"]
    others = [row for row in ROWS if row["currency"] != "EUR"]
    assert euro_rows and others
    _, hidden = draw(euro_rows, formats.DECISION_COLUMNS, width, ranked=True)
    assert not hidden or hidden[0] == "amount" or "amount" in hidden
    _, hidden = draw(ROWS, formats.DECISION_COLUMNS, width, ranked=True)
    assert not hidden or "regulator" in hidden


@settings(max_examples=60, deadline=None)
@given(WIDTHS, st.sets(st.sampled_from([c.key for c in formats.DECISION_COLUMNS])))
def test_no_hidden_column_would_fit_beside_those_shown(width: int, essential: set[str]) -> None:
    columns = [replace(c, essential=c.key in essential) for c in formats.DECISION_COLUMNS]
    kept = render.fit_columns(columns, ROWS, width)
    assert all(c in kept for c in columns if c.essential)
    assert [c for c in columns if c in kept] == kept  # in their own order
    if render.table_width(render.widths(kept, ROWS)) <= width:
        for column in columns:
            if column not in kept:
                wider = [c for c in columns if c in kept or c == column]
                assert render.table_width(render.widths(wider, ROWS)) > width


def test_an_amount_in_one_other_currency_names_it_in_the_header_and_so_fits_before_the_date() -> None:
    ids = ["no-datatilsynet-2023-meta-platforms-ireland", "no-datatilsynet-2024-nav"]
    rows = [
        formats.decision_row(
            Decision.model_validate(
                record(id=id_, regulator="NO-DATATILSYNET", currency="NOK", amount=amount)
            )
        )
        for id_, amount in zip(ids, ["82000000", "20000000"], strict=True)
    ]
    columns = [c for c in formats.DECISION_COLUMNS if c.key != "standing_eur"]
    euros = max(len(formats.thousands(row["amount_eur"])) for row in rows)
    width = render.table_width([len(ids[0]), len("amount NOK"), euros, len("imposed")])
    out, hidden = draw(rows, columns, width)
    assert hidden == ["date", "regulator"]
    assert out.splitlines()[0].split() == ["entity", "/", "id", "amount", "NOK", "EUR", "status"]
    assert "82,000,000" in out and "NOK 82" not in out
    mixed, _ = draw([*rows, *ROWS], columns, 200)
    assert "NOK 82,000,000" in mixed and "amount NOK" not in mixed


@settings(max_examples=40, deadline=None)
@given(WIDTHS)
def test_prose_wraps_at_spaces_and_never_breaks_a_word(width: int) -> None:
    name = "Telekommunikation-Digitale-Dienste-Datenschutz-Gesetz, formerly Telekommunikation-Telemedien-Datenschutz-Gesetz"
    rows = [
        {"code": "DE-TTDSG", "name": name, "country": "DE"},
        {"code": "GDPR", "name": "GDPR", "country": "EU"},
    ]
    columns = [formats.Column(key, key) for key in ("code", "name", "country")]
    out, hidden = draw(rows, columns, width)
    assert hidden == []
    assert set(name.split()) <= set(out.split())


def test_names_wrap_down_to_their_longest_word_before_a_figure_is_hidden() -> None:
    longest_word = max(len(word) for row in GROUPS for word in row["label"].split())
    need = [
        longest_word if c.key == "label" else render.widths([c], GROUPS)[0] for c in formats.SUMMARY_COLUMNS
    ]
    out, hidden = draw(GROUPS, formats.SUMMARY_COLUMNS, render.table_width(need), bar_key="share")
    assert hidden == ["share bar"]
    assert {word for row in GROUPS for word in row["label"].split()} <= set(out.split())


@pytest.mark.parametrize("width", [20, 40, 200])
def test_a_decision_shown_at_any_width_keeps_its_name_and_id_whole(width: int) -> None:
    name = "Meta Platforms Ireland Limited"
    data = record(
        id="ie-dpc-2022-meta-platforms-ireland-2",
        regulator="IE-DPC",
        entity={"name": name, "role": "controller"},
    )
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"COLUMNS": str(width)}):
        render.print_decision(formats.decision_row(Decision.model_validate(data)), out)
    assert "ie-dpc-2022-meta-platforms-ireland-2" in out.getvalue().split()
    assert set(name.split()) <= set(out.getvalue().split())


@settings(max_examples=40, deadline=None)
@given(WIDTHS)
def test_a_summary_hides_the_names_of_its_groups_before_any_figure(width: int) -> None:
    _, hidden = draw(GROUPS, formats.SUMMARY_COLUMNS, width, bar_key="share")
    assert not {"median EUR", "mean EUR", "max EUR"} & set(hidden) or "name" in hidden


def test_the_share_bar_needs_only_the_width_of_its_longest_bar() -> None:
    longest = max(render.bar(row["share"]).cell_len for row in GROUPS)
    assert 0 < longest < render.BAR_WIDTH
    width = render.table_width([*render.widths(formats.SUMMARY_COLUMNS, GROUPS), longest])
    out, hidden = draw(GROUPS, formats.SUMMARY_COLUMNS, width, bar_key="share")
    assert hidden == [] and "█" in out
    assert max(len(line.rstrip()) for line in out.splitlines()) == width
    out, hidden = draw(GROUPS, formats.SUMMARY_COLUMNS, width - 1, bar_key="share")
    assert hidden == ["share bar"] and "█" not in out


@pytest.mark.parametrize(
    ("env", "colour", "bold"),
    [({}, True, True), ({"NO_COLOR": "1"}, False, True), ({"TERM": "dumb"}, False, False)],
)
def test_no_color_drops_colour_but_keeps_bold_and_a_dumb_terminal_drops_both(
    env: dict[str, str], colour: bool, bold: bool
) -> None:
    out = io.StringIO()
    inherited = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environment = {**inherited, "FORCE_COLOR": "1", "COLUMNS": "200", "TERM": "xterm-256color", **env}
    with mock.patch.dict(os.environ, environment, clear=True):
        render.print_table(GROUPS, formats.SUMMARY_COLUMNS, out, bar_key="share")
        render.print_decision(ROWS[1], out)
    assert ("\x1b[36m" in out.getvalue()) is colour  # the share bar's cyan
    assert ("\x1b[1m" in out.getvalue()) is bold
