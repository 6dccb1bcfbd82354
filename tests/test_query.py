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


CITABLE = ["Art. 82 FR-LIL", "Art. 82 GDPR", "Art. 6(1) GDPR", "Art. 13 IT-PRIVACY-CODE", "Art. 13(2) GDPR"]
CITING = [  # a decision for every choice of references among those above
    as_entry(
        record(id=f"fr-cnil-2022-cites-{number}", articles=[CITABLE[i] for i in range(5) if number >> i & 1])
    )
    for number in range(1, 2 ** len(CITABLE))
]
NATIONAL_LAWS = ("FR-LIL", "IT-PRIVACY-CODE")
some_citing = st.lists(st.sampled_from(CITING), max_size=8, unique_by=lambda d: d.id)


def citing(decisions: list[Entry], article: str | None, *laws: str) -> set[str]:
    """The ids --article (if any) and --law select."""
    patterns = (parse_pattern(article),) if article else ()
    return {
        d.id for d in query.select(decisions, Filters(articles=patterns, laws=frozenset(laws)), summary_of)
    }


@given(some_citing, st.sampled_from(["82", "13", "13(2)", "6(1)"]), st.sampled_from(["GDPR", *NATIONAL_LAWS]))
def test_an_article_naming_no_law_with_a_law_is_that_article_of_that_law(
    decisions: list[Entry], article: str, law: str
) -> None:
    assert citing(decisions, article, law) == citing(decisions, f"{article} {law}")
    under_each = set().union(*(citing(decisions, f"{article} {law}") for law in NATIONAL_LAWS))
    assert citing(decisions, article, query.NATIONAL) == under_each


@given(
    some_citing,
    st.sampled_from(["82 FR-LIL", "13 IT-PRIVACY-CODE", "6(1) GDPR"]),
    st.sampled_from(["GDPR", "FR-LIL"]),
)
def test_an_article_naming_its_law_keeps_it_and_a_law_alone_asks_for_any_of_its_articles(
    decisions: list[Entry], article: str, law: str
) -> None:
    assert citing(decisions, article, law) == citing(decisions, article) & citing(decisions, None, law)
    assert citing(decisions, None, law) == {d.id for d in decisions if law in d.laws}


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
    assert {"BigCo", "Clearface", "Acme SAS", "[unnamed] it-garante-2021-unnamed"} <= keys


@pytest.mark.parametrize("by", [GroupBy.ENTITY, GroupBy.GROUP])
def test_unnamed_parties_are_never_pooled_each_is_a_group_of_its_own(by: GroupBy) -> None:
    unnamed = [
        as_entry(
            record(
                id=f"fr-cnil-2023-not-disclosed-{i}",
                entity={"description": "not disclosed", "role": "unknown"},
            )
        )
        for i in range(3)
    ]
    rows = query.summarise([*unnamed, *DECISIONS], by)
    alone = [r for r in rows if r.key.startswith("[unnamed]")]
    assert sorted(r.key for r in alone) == sorted(f"[unnamed] {d.id}" for d in [*unnamed, DECISIONS[-1]])
    assert all(r.count == 1 for r in alone)
    assert {r.label for r in alone} == {"[unnamed: not disclosed]", "[unnamed: a bank]"}
    assert {r.key: r.label for r in rows if not r.key.startswith("[unnamed]")}["Acme SAS"] == "Acme SAS"


def test_a_summary_by_two_keys_groups_by_the_pair_first_key_first() -> None:
    rows = query.summarise(DECISIONS, GroupBy.REGULATOR, GroupBy.YEAR)
    assert [r.keys for r in rows] == [
        ("FR-CNIL", "2022"),
        ("FR-CNIL", "2023"),
        ("FR-CNIL", "2024"),
        ("UK-ICO", "2022"),
        ("NO-DATATILSYNET", "2021"),
        ("DE-HH", "2020"),
        ("IT-GARANTE", "2021"),
    ]
    assert rows[0].labels == ("French Data Protection Authority", "2022")
    grand = sum(query.imposed_eur(d) or 0 for d in DECISIONS)
    assert rows[2].share == (Decimal(50_000_000) / grand).quantize(Decimal("0.0001"))


def test_a_decision_counts_under_each_value_of_a_multi_valued_key_in_a_pair() -> None:
    rows = {r.keys: r for r in query.summarise(DECISIONS, GroupBy.YEAR, GroupBy.TYPE)}
    assert (
        rows["2024", "principles"].total_eur == rows["2024", "processing_agreement"].total_eur == 50_000_000
    )
    assert (rows["2022", "legal_basis"].count, rows["2021", "security"].median_eur) == (2, None)


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


@given(amounts, st.integers(min_value=0, max_value=40))
def test_a_ranking_is_sorted_and_a_subset_of_its_input(values: list[int], limit: int) -> None:
    decisions = decisions_with(values)
    ranked = query.top(decisions, RankBy.AMOUNT, limit)
    eur = [amount for amount in map(query.imposed_eur, ranked) if amount is not None]
    assert eur == sorted(eur, reverse=True)
    assert len(ranked) == min(limit, len(values))
    assert {d.id for d in ranked} <= {d.id for d in decisions}


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=30), st.integers(0, 40))
def test_the_top_n_are_the_first_n_of_the_full_ranking_ties_by_id(values: list[int], limit: int) -> None:
    decisions = decisions_with(values)
    expected = sorted(decisions, key=lambda d: (-int(values[int(d.id.rsplit("d", 1)[1])]), d.id))
    assert query.top(decisions, RankBy.AMOUNT, limit) == expected[:limit]
    assert query.sort_decisions(decisions, SortKey.AMOUNT, descending=True) == expected
    shared = Rows([d.values() for d in decisions])  # one table, as a warm run reads them
    in_one_table = [Entry(shared, at) for at in range(len(decisions))]
    assert query.top(in_one_table, RankBy.AMOUNT, limit) == expected[:limit]
    assert query.sort_decisions(in_one_table, SortKey.AMOUNT, descending=True) == expected


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=30), st.integers(1, 40))
def test_the_limit_the_tie_note_offers_shows_the_whole_tie_and_no_more(values: list[int], limit: int) -> None:
    decisions = decisions_with(values)
    value = query.imposed_eur
    shown = query.top(decisions, RankBy.AMOUNT, limit)
    tied = query.ranking(decisions, RankBy.AMOUNT, limit).tied
    counted_as_groups_are = query.tied_beyond(map(value, decisions), [value(d) for d in shown])
    assert tied == counted_as_groups_are
    ranking = [value(d) for d in query.top(decisions, RankBy.AMOUNT, None)]
    cut, offered = value(shown[-1]), len(shown) + tied
    assert ranking[len(shown) - 1 : offered] == [cut] * (tied + 1)
    assert cut not in ranking[offered:]


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
    assert sum(r.total_eur or 0 for r in rows) == sum(values)
    for row in rows:
        assert row.median_eur is not None and row.max_eur is not None
        assert min(values) <= row.median_eur <= row.max_eur


REGULATORS = ("FR-CNIL", "IE-DPC", "IT-GARANTE")
TYPES = ("legal_basis", "security", "information")
SINGLE_VALUED = (GroupBy.REGULATOR, GroupBy.YEAR)
facts = st.tuples(
    st.sampled_from(REGULATORS),
    st.integers(min_value=2019, max_value=2022),
    st.none() | st.integers(min_value=0, max_value=10**9),
    st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
)
Facts = tuple[str, int, int | None, list[str]]


def decisions_from(rows: list[Facts]) -> list[Entry]:
    """Decisions with these regulators, years, amounts (None: unknown) and violation types."""
    return [
        as_entry(
            record(
                id=f"d-{i}",
                regulator=regulator,
                decision_date=f"{year}-06-01",
                amount=None if amount is None else str(amount),
                currency=None if amount is None else "EUR",
                kind="reprimand" if amount is None else "fine",
                violation_types=types,
            )
        )
        for i, (regulator, year, amount, types) in enumerate(rows)
    ]


def values_of(fact: Facts, key: GroupBy) -> set[str]:
    """The group(s) a decision's facts put it in, worked out without finelog."""
    regulator, year, _, types = fact
    return {GroupBy.REGULATOR: {regulator}, GroupBy.YEAR: {str(year)}, GroupBy.TYPE: set(types)}[key]


@given(
    st.lists(facts, min_size=1, max_size=12),
    st.sampled_from(
        [(a, b) for a in (*SINGLE_VALUED, GroupBy.TYPE) for b in (*SINGLE_VALUED, GroupBy.TYPE) if a != b]
    ),
)
def test_a_two_key_summary_agrees_with_the_one_key_summary_and_its_own_groups(
    rows: list[Facts], keys: tuple[GroupBy, GroupBy]
) -> None:
    import statistics

    decisions = decisions_from(rows)
    first, second = keys
    pairs = query.summarise(decisions, first, second)
    singles = query.summarise(decisions, first)
    assert list(dict.fromkeys(r.keys[0] for r in pairs)) == [r.key for r in singles]
    for single in singles:
        under = [r for r in pairs if r.keys[0] == single.key]
        if second in SINGLE_VALUED:
            assert sum(r.count for r in under) == single.count
            assert sum(r.amounts_known for r in under) == single.amounts_known
            assert sum(r.total_eur or 0 for r in under) == (single.total_eur or 0)
        inside = [d for d, fact in zip(decisions, rows, strict=True) if single.key in values_of(fact, first)]
        assert [r.keys[1] for r in under] == [r.key for r in query.summarise(inside, second)]
    assert {r.keys for r in pairs} == {
        (a, b) for fact in rows for a in values_of(fact, first) for b in values_of(fact, second)
    }
    for pair in pairs:
        members = [
            f for f in rows if pair.keys[0] in values_of(f, first) and pair.keys[1] in values_of(f, second)
        ]
        amounts = [Decimal(f[2]) for f in members if f[2] is not None]
        assert pair.count == len(members)
        assert pair.total_eur == (sum(amounts) if amounts else None)  # an unknown amount is never a zero fine
        assert (pair.share is None) == (not amounts)
        assert pair.median_eur == (statistics.median(amounts).quantize(Decimal("0.01")) if amounts else None)


@given(
    st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,4}", fullmatch=True),
    st.sampled_from(["", "data/decisions/", "C:\\data\\", "./"]),
    st.sampled_from(["", ".yaml", ".YML", ".yml"]),
    st.booleans(),
)
def test_the_id_meant_by_a_path_or_file_name_is_its_stem_in_lower_case(
    decision_id: str, folder: str, extension: str, shout: bool
) -> None:
    typed = folder + (decision_id.upper() if shout else decision_id) + extension
    assert query.id_meant(typed) == decision_id
