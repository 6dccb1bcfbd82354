from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SMALL_SET, as_entry, record
from finelog import query
from finelog.articles import parse_pattern
from finelog.entry import Entry, Rows
from finelog.query import Filters
from finelog.vocab import GroupBy, Kind, RankBy, Role, Sector, SortKey, Status, ViolationType

DECISIONS = [as_entry(data) for data in SMALL_SET]


SUMMARIES = {str(data["id"]): str(data["summary"]) for data in SMALL_SET} | {
    "fr-cnil-2023-acme": "An overdue penalty payment for not complying with an order."
}


def summary_of(entry: Entry) -> str:
    """The summary --search looks in (one of them rewritten so that only it matches)."""
    return SUMMARIES[entry.id]


def ids(decisions: list[Entry]) -> list[str]:
    return sorted(d.id for d in decisions)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(regulators=frozenset({"UK-ICO"})), ["uk-ico-2022-clearface"]),
        (Filters(countries=frozenset({"NO"})), ["no-datatilsynet-2021-datingapp"]),
        (
            Filters(years=frozenset({2021})),
            ["it-garante-2021-unnamed", "no-datatilsynet-2021-datingapp"],
        ),
        (Filters(since=date(2023, 1, 1)), ["fr-cnil-2023-acme", "fr-cnil-2024-bigco"]),
        (Filters(until=date(2020, 6, 30)), ["de-hh-2020-acme-brackets"]),
        (
            Filters(since=date(2021, 12, 15), until=date(2021, 12, 20)),
            ["no-datatilsynet-2021-datingapp"],
        ),
        (
            Filters(min_eur=Decimal(5_000_000)),
            ["fr-cnil-2024-bigco", "no-datatilsynet-2021-datingapp", "uk-ico-2022-clearface"],
        ),
        (Filters(max_eur=Decimal(100_000)), ["fr-cnil-2023-acme"]),
        (
            Filters(articles=(parse_pattern("28"),)),
            ["de-hh-2020-acme-brackets", "fr-cnil-2024-bigco"],
        ),
        (Filters(articles=(parse_pattern("28(3)(g)"),)), ["fr-cnil-2024-bigco"]),
        (Filters(articles=(parse_pattern("5"), parse_pattern("6"))), ["uk-ico-2022-clearface"]),
        (Filters(laws=frozenset({"UK-GDPR"})), ["uk-ico-2022-clearface"]),
        (Filters(laws=frozenset({query.NATIONAL})), ["fr-cnil-2023-acme"]),
        (
            Filters(sectors=frozenset({Sector.MEDIA_TELECOMS})),
            ["fr-cnil-2024-bigco", "no-datatilsynet-2021-datingapp"],
        ),
        (Filters(violation_types=frozenset({ViolationType.SECURITY})), ["it-garante-2021-unnamed"]),
        (Filters(roles=frozenset({Role.PROCESSOR})), ["de-hh-2020-acme-brackets"]),
        (Filters(statuses=frozenset({Status.REDUCED})), ["fr-cnil-2024-bigco"]),
        (Filters(kinds=frozenset({Kind.PENALTY_PAYMENT})), ["fr-cnil-2023-acme"]),
        (
            Filters(entity="ACMÉ"),
            ["de-hh-2020-acme-brackets", "fr-cnil-2022-acme", "fr-cnil-2023-acme"],
        ),
        (Filters(group="bigco"), ["fr-cnil-2024-bigco"]),
        (Filters(search="a bank"), ["it-garante-2021-unnamed"]),
        (Filters(search="OVERDUE penalty"), ["fr-cnil-2023-acme"]),
    ],
)
def test_each_filter_keeps_exactly_the_matching_decisions(filters: Filters, expected: list[str]) -> None:
    assert ids(query.select(DECISIONS, filters, summary_of)) == expected


def test_an_empty_filter_keeps_everything() -> None:
    assert len(query.select(DECISIONS, Filters(), summary_of)) == len(DECISIONS)


def test_sorting_puts_unknown_values_last_in_both_directions() -> None:
    for descending in (True, False):
        ordered = query.sort_decisions(DECISIONS, SortKey.AMOUNT, descending=descending)
        assert ordered[-1].id == "it-garante-2021-unnamed"


def test_top_by_amount_ranks_in_euros_and_leaves_out_unknown_amounts() -> None:
    top = query.top(DECISIONS, RankBy.AMOUNT, limit=3)
    assert [d.id for d in top] == [
        "fr-cnil-2024-bigco",
        "uk-ico-2022-clearface",
        "no-datatilsynet-2021-datingapp",
    ]


def test_top_by_standing_uses_amounts_after_appeal() -> None:
    top = query.top(DECISIONS, RankBy.STANDING, limit=1)
    assert query.standing_eur(top[0]) == Decimal(20_000_000)


def test_summary_counts_totals_median_and_share() -> None:
    rows = {r.key: r for r in query.summarise(DECISIONS, GroupBy.REGULATOR)}
    cnil = rows["FR-CNIL"]
    assert (cnil.count, cnil.amounts_known, cnil.total_eur) == (3, 3, Decimal(51_100_000))
    assert cnil.median_eur == Decimal(1_000_000)
    assert cnil.max_eur == Decimal(50_000_000)
    grand = sum(query.imposed_eur(d) or 0 for d in DECISIONS)
    assert cnil.share == (Decimal(51_100_000) / grand).quantize(Decimal("0.0001"))
    assert (rows["IT-GARANTE"].count, rows["IT-GARANTE"].median_eur) == (1, None)


def test_summary_by_year_is_chronological_and_multi_valued_groups_count_twice() -> None:
    assert [r.key for r in query.summarise(DECISIONS, GroupBy.YEAR)] == [
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
    ]
    articles = {r.key: r.count for r in query.summarise(DECISIONS, GroupBy.ARTICLE)}
    assert articles["Art. 5 UK-GDPR"] == 1
    assert articles["Art. 28 GDPR"] == 2


def test_summary_with_standing_totals_what_stands() -> None:
    rows = {r.key: r for r in query.summarise(DECISIONS, GroupBy.REGULATOR, standing=True)}
    assert rows["FR-CNIL"].total_eur == Decimal(21_100_000)


def test_month_groups_mark_decisions_known_only_to_the_year() -> None:
    keys = [r.key for r in query.summarise(DECISIONS, GroupBy.MONTH)]
    assert "2020-??" in keys
    assert "2021-12" in keys


def test_groups_by_corporate_group_fall_back_to_the_entity() -> None:
    keys = {r.key for r in query.summarise(DECISIONS, GroupBy.GROUP)}
    assert {"BigCo", "Clearface", "Acme SAS", "[unnamed: a bank]"} <= keys


def test_suggestions_for_a_mistyped_id() -> None:
    assert query.suggest_ids("fr-cnil-2022-acm", [d.id for d in DECISIONS])[0] == "fr-cnil-2022-acme"


amounts = st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30)


def decisions_with(values: list[int]) -> list[Entry]:
    return [
        as_entry(
            record(
                id=f"fr-cnil-2022-d{i}",
                amount=str(v),
                entity={"name": f"E{i}", "role": "controller"},
            )
        )
        for i, v in enumerate(values)
    ]


@given(amounts, st.integers(min_value=1, max_value=40))
def test_a_ranking_is_sorted_and_a_subset_of_its_input(values: list[int], limit: int) -> None:
    decisions = decisions_with(values)
    ranked = query.top(decisions, RankBy.AMOUNT, limit)
    eur = [amount for amount in map(query.imposed_eur, ranked) if amount is not None]
    assert eur == sorted(eur, reverse=True)
    assert len(ranked) == min(limit, len(values))
    assert {d.id for d in ranked} <= {d.id for d in decisions}


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=30), st.integers(1, 40))
def test_the_top_n_are_the_first_n_of_the_full_ranking_ties_by_id(values: list[int], limit: int) -> None:
    decisions = decisions_with(values)
    expected = sorted(decisions, key=lambda d: (-int(values[int(d.id.rsplit("d", 1)[1])]), d.id))
    assert query.top(decisions, RankBy.AMOUNT, limit) == expected[:limit]
    assert query.sort_decisions(decisions, SortKey.AMOUNT, descending=True) == expected
    shared = Rows([d.values() for d in decisions])  # one table, as a warm run reads them
    in_one_table = [Entry(shared, at) for at in range(len(decisions))]
    assert query.top(in_one_table, RankBy.AMOUNT, limit) == expected[:limit]
    assert query.sort_decisions(in_one_table, SortKey.AMOUNT, descending=True) == expected


@given(amounts)
def test_a_full_sort_is_a_permutation(values: list[int]) -> None:
    decisions = decisions_with(values)
    assert sorted(d.id for d in query.sort_decisions(decisions, SortKey.AMOUNT, descending=True)) == sorted(
        d.id for d in decisions
    )


@given(amounts)
def test_group_totals_add_up_and_the_median_lies_between_min_and_max(values: list[int]) -> None:
    decisions = decisions_with(values)
    rows = query.summarise(decisions, GroupBy.SECTOR)
    assert sum(r.total_eur for r in rows) == sum(values)
    for row in rows:
        assert row.median_eur is not None and row.max_eur is not None
        assert min(values) <= row.median_eur <= row.max_eur
