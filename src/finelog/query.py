"""Filter, sort, rank, group and summarise decisions: pure functions, no I/O."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from itertools import product
from operator import itemgetter
from typing import TYPE_CHECKING, Final

from finelog.entry import Entry, Values
from finelog.money import CENT, exact
from finelog.registry import countries, laws, normalise, regulators
from finelog.vocab import GroupBy, Kind, RankBy, Role, Sector, SortKey, Status, ViolationType

if TYPE_CHECKING:
    from finelog.articles import ArticlePattern, ArticleRef

NATIONAL: Final = "national"
_SUPRANATIONAL_LAWS: Final = {"GDPR", "UK-GDPR"}


@dataclass(frozen=True)
class Filters:
    """Every condition a decision must meet to be listed; empty means no condition."""

    regulators: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    years: frozenset[int] = frozenset()
    min_eur: Decimal | None = None
    max_eur: Decimal | None = None
    articles: tuple[ArticlePattern, ...] = ()
    laws: frozenset[str] = frozenset()
    sectors: frozenset[Sector] = frozenset()
    violation_types: frozenset[ViolationType] = frozenset()
    roles: frozenset[Role] = frozenset()
    statuses: frozenset[Status] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    entity: str | None = None
    group: str | None = None
    search: str | None = None

    @cached_property
    def period(self) -> tuple[str | None, str | None]:
        """--since and --until as ISO text, the form an entry's dates are kept in."""
        return (
            None if self.since is None else self.since.isoformat(),
            None if self.until is None else self.until.isoformat(),
        )


SummaryOf = Callable[[Entry], str]


def matches(decision: Entry, filters: Filters, summary_of: SummaryOf) -> bool:
    """Whether a decision meets every condition (its summary is fetched only to --search it)."""
    return all(check(decision, filters) for check in _CHECKS) and _found(decision, filters, summary_of)


def select(decisions: Iterable[Entry], filters: Filters, summary_of: SummaryOf) -> list[Entry]:
    """The decisions that meet every condition, in their original order."""
    if filters == Filters():
        return list(decisions)
    return [decision for decision in decisions if matches(decision, filters, summary_of)]


def imposed_eur(decision: Entry) -> Decimal | None:
    """The euro amount imposed, if known (its table's column is converted once, for every row)."""
    return decision.table.convert(_IMPOSED_EUR, _decimal)[decision.at]


def standing_eur(decision: Entry) -> Decimal | None:
    """The euro amount that stands after appeals, if known (converted column-wide, like imposed)."""
    return decision.table.convert(_STANDING_EUR, _decimal)[decision.at]


def _decimal(text: str | None) -> Decimal | None:
    """Decimal text as a Decimal."""
    return None if text is None else exact(text)


_IMPOSED_EUR: Final = Values._fields.index("imposed_eur")
_STANDING_EUR: Final = Values._fields.index("standing_eur")


def _in(values: frozenset[object], value: object) -> bool:
    """An empty set admits everything."""
    return not values or value in values


def _contains(needle: str | None, *haystacks: str | None) -> bool:
    """Case- and accent-insensitive substring match; no needle admits everything."""
    if needle is None:
        return True
    folded = normalise(needle)
    return any(folded in normalise(text) for text in haystacks if text)


def _in_period(decision: Entry, filters: Filters) -> bool:
    """The decision's date (to its precision) overlaps the period asked for."""
    since, until = filters.period
    return (since is None or decision.end >= since) and (until is None or decision.start <= until)


def _amount_between(decision: Entry, filters: Filters) -> bool:
    """The euro amount imposed lies within --min and --max; an unknown amount does not."""
    if filters.min_eur is None and filters.max_eur is None:
        return True
    amount = imposed_eur(decision)
    if amount is None:
        return False
    return (filters.min_eur is None or amount >= filters.min_eur) and (
        filters.max_eur is None or amount <= filters.max_eur
    )


def article_refs(decision: Entry) -> list[ArticleRef]:
    """The decision's article references, parsed back from their canonical text."""
    from finelog.articles import parse_reference  # its patterns compile on import: not for every query

    return [parse_reference(text) for text in decision.articles]


def _found(decision: Entry, filters: Filters, summary_of: SummaryOf) -> bool:
    """--search: the text is in the id, the party's name or group, the case number or the summary."""
    if filters.search is None:
        return True
    fields = (decision.id, decision.entity, decision.description, decision.group, decision.case_number)
    return _contains(filters.search, *fields) or _contains(filters.search, summary_of(decision))


def _cites(decision: Entry, filters: Filters) -> bool:
    """The decision cites an article under every pattern asked for; one naming no law, under a --law."""
    if not filters.articles:
        return True
    refs = article_refs(decision)
    return all(any(_cited_as_asked(p, ref, filters.laws) for ref in refs) for p in filters.articles)


def _cited_as_asked(pattern: ArticlePattern, ref: ArticleRef, wanted: frozenset[str]) -> bool:
    """The reference falls under the pattern, and under a law asked for if the pattern names none."""
    return pattern.matches(ref) and (pattern.law is not None or not wanted or _law_asked(ref.law, wanted))


def _under_law(decision: Entry, filters: Filters) -> bool:
    """The decision cites at least one article of a law asked for (`national`: any national law)."""
    return not filters.laws or any(_law_asked(law, filters.laws) for law in decision.laws)


def _law_asked(law: str, wanted: frozenset[str]) -> bool:
    """The law is one of those asked for, or a national law where `national` is asked for."""
    return law in wanted or (NATIONAL in wanted and law not in _SUPRANATIONAL_LAWS)


_CHECKS: Final[tuple[Callable[[Entry, Filters], bool], ...]] = (
    lambda d, f: _in(f.regulators, d.regulator),
    lambda d, f: _in(f.countries, d.country),
    lambda d, f: _in(f.years, int(d.start[:4])),
    lambda d, f: _in(f.sectors, d.sector),
    lambda d, f: _in(f.roles, d.role),
    lambda d, f: _in(f.statuses, d.status),
    lambda d, f: _in(f.kinds, d.kind),
    lambda d, f: not f.violation_types or bool(f.violation_types & set(d.violation_types)),
    lambda d, f: _contains(f.entity, d.entity, d.description),
    lambda d, f: _contains(f.group, d.group),
    _in_period,
    _amount_between,
    _cites,
    _under_law,
)


_SORT_VALUES: Final[dict[str, Callable[[Entry], object]]] = {
    SortKey.DATE: lambda d: d.start,
    SortKey.AMOUNT: imposed_eur,
    SortKey.STANDING: standing_eur,
    SortKey.AFFECTED: lambda d: d.affected,
    SortKey.REGULATOR: lambda d: d.regulator,
    SortKey.COUNTRY: lambda d: d.country,
    SortKey.ENTITY: lambda d: normalise(d.display),
    SortKey.ID: lambda d: d.id,
}


def sort_decisions(decisions: Iterable[Entry], key: SortKey, *, descending: bool) -> list[Entry]:
    """Decisions ordered by one key, ties broken by id, unknown values last either way."""
    listed = list(decisions)
    valued = list(zip(_values(listed, key), listed, strict=True))
    known = _ordered([pair for pair in valued if pair[0] is not None], descending)
    unknown = sorted((d for value, d in valued if value is None), key=_id)
    return known + unknown


@dataclass(frozen=True)
class Ranking:
    """The decisions a ranking shows, how many had a value to rank by, and how many more tie with the last."""

    shown: list[Entry]
    rankable: int
    tied: int


def ranking(decisions: Iterable[Entry], by: RankBy, limit: int | None) -> Ranking:
    """The largest (or latest) decisions by one measure; those where it is unknown are left out."""
    listed = list(decisions)
    valued = [
        (value, d)
        for value, d in zip(_values(listed, SortKey(by.value)), listed, strict=True)
        if value is not None
    ]
    rankable = len(valued)
    if limit == 0:  # only the count: no last row for others to tie with
        return Ranking([], rankable, 0)
    if limit is not None and limit < len(valued):  # all that reach the limit's value: ties at it too
        cutoff = heapq.nlargest(limit, (value for value, _ in valued))[-1]  # type: ignore[type-var]
        valued = [pair for pair in valued if pair[0] >= cutoff]  # type: ignore[operator]
    ranked = _ordered(valued, descending=True)
    shown = ranked if limit is None else ranked[:limit]
    return Ranking(shown, rankable, len(ranked) - len(shown))


def top(decisions: Iterable[Entry], by: RankBy, limit: int | None) -> list[Entry]:
    """The largest (or latest) decisions by one measure; those where it is unknown are left out."""
    return ranking(decisions, by, limit).shown


def tied_beyond(values: Iterable[object], shown: Sequence[object]) -> int:
    """How many values not shown equal the last one shown: the ties a limit cut off."""
    if not shown:
        return 0
    last = shown[-1]
    return sum(value == last for value in values) - sum(value == last for value in shown)


def _values(decisions: list[Entry], key: SortKey) -> list[object]:
    """Each decision's value to sort by."""
    value_of = _SORT_VALUES[key]
    return [value_of(d) for d in decisions]


def _ordered(valued: list[tuple[object, Entry]], descending: bool) -> list[Entry]:
    """Decisions by their (known) values, ties by id: sorting is stable, even in reverse."""
    valued.sort(key=lambda pair: pair[1].id)
    valued.sort(key=itemgetter(0), reverse=descending)
    return [d for _, d in valued]


def _id(decision: Entry) -> str:
    """The decision's id, to break ties."""
    return decision.id


CHRONOLOGICAL: Final = frozenset({GroupBy.YEAR, GroupBy.QUARTER, GroupBy.MONTH})


def _quarter(decision: Entry) -> str:
    """`2024-Q1`, or `2024-Q?` when only the year is known."""
    year = decision.start[:4]
    if not _known_to_month(decision):
        return f"{year}-Q?"
    return f"{year}-Q{(int(decision.start[5:7]) - 1) // 3 + 1}"


def _month(decision: Entry) -> str:
    """`2024-03`, or `2024-??` when only the year is known."""
    return decision.start[:7] if _known_to_month(decision) else f"{decision.start[:4]}-??"


_GROUP_KEYS: Final[dict[GroupBy, Callable[[Entry], list[str]]]] = {
    GroupBy.REGULATOR: lambda d: [d.regulator],
    GroupBy.COUNTRY: lambda d: [d.country],
    GroupBy.YEAR: lambda d: [d.start[:4]],
    GroupBy.QUARTER: lambda d: [_quarter(d)],
    GroupBy.MONTH: lambda d: [_month(d)],
    GroupBy.SECTOR: lambda d: [d.sector],
    GroupBy.TYPE: lambda d: list(d.violation_types),
    GroupBy.ARTICLE: lambda d: list(dict.fromkeys(r.article_key for r in article_refs(d))) or ["(none)"],
    GroupBy.LAW: lambda d: list(d.laws) or ["(none)"],
    GroupBy.STATUS: lambda d: [d.status],
    GroupBy.ROLE: lambda d: [d.role],
    GroupBy.KIND: lambda d: [d.kind],
    GroupBy.ENTITY: lambda d: [party_key(d)],
    GroupBy.GROUP: lambda d: [d.group or party_key(d)],
}

UNNAMED: Final = "[unnamed]"


def party_key(decision: Entry) -> str:
    """The party's name; an unnamed party is `[unnamed] <id>`, never pooled with another decision's."""
    return decision.entity if decision.entity is not None else f"{UNNAMED} {decision.id}"


def group_keys(decision: Entry, by: GroupBy) -> list[str]:
    """The group(s) a decision falls in; a decision citing two articles counts under both."""
    return _GROUP_KEYS[by](decision)


def _known_to_month(decision: Entry) -> bool:
    """Whether the decision date is known at least to the month."""
    return decision.precision != "year"


def group_label(key: str, by: GroupBy) -> str:
    """The words for a group key: an authority's or country's name, a vocabulary's label."""
    if by is GroupBy.REGULATOR and key in regulators():
        return regulators().by_code[key].name
    if by is GroupBy.COUNTRY and key in countries():
        return countries().by_code[key].name
    if by is GroupBy.LAW and key in laws():
        return laws().by_code[key].name
    vocabulary = {
        GroupBy.SECTOR: Sector,
        GroupBy.TYPE: ViolationType,
        GroupBy.STATUS: Status,
        GroupBy.ROLE: Role,
        GroupBy.KIND: Kind,
    }.get(by)
    if vocabulary is not None and key in vocabulary._value2member_map_:
        return vocabulary(key).label
    return key


@dataclass(frozen=True)
class SummaryRow:
    """Totals for one group of decisions (its value of each grouping key), in euros."""

    by: tuple[GroupBy, ...]
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    count: int
    amounts_known: int
    total_eur: Decimal | None  # None when no amount is known: an unknown amount is never a zero fine
    median_eur: Decimal | None
    mean_eur: Decimal | None
    max_eur: Decimal | None
    share: Decimal | None
    standing: bool = False  # the amounts that stand after appeals, not those imposed

    @property
    def key(self) -> str:
        """The group's key: with several grouping keys, their values joined by ` / `."""
        return " / ".join(self.keys)

    @property
    def label(self) -> str:
        """The group's words: with several grouping keys, theirs joined by ` / `."""
        return " / ".join(self.labels)


def euro_value(decision: Entry, *, standing: bool) -> Decimal | None:
    """The euro amount a summary adds up: as imposed, or as it stands after appeals."""
    return standing_eur(decision) if standing else imposed_eur(decision)


def summarise(decisions: Sequence[Entry], *by: GroupBy, standing: bool = False) -> list[SummaryRow]:
    """Count, total, median, mean and max per group (per combination of several keys), ordered."""
    if not by:
        raise ValueError("summarise needs at least one key to group by")
    grand_total = _total(decisions, standing)
    rows = [
        _summary_row(keys, by, group, grand_total, standing)
        for keys, group in _members(decisions, by).items()
    ]
    return sorted(rows, key=_group_order(decisions, by, standing, rows))


def _members(decisions: Iterable[Entry], by: Sequence[GroupBy]) -> dict[tuple[str, ...], list[Entry]]:
    """Each group's decisions; a decision counts under every combination of its keys' values."""
    members: dict[tuple[str, ...], list[Entry]] = {}
    for decision in decisions:
        for keys in product(*(group_keys(decision, key) for key in by)):
            members.setdefault(keys, []).append(decision)
    return members


def known_amounts(decisions: Iterable[Entry], *, standing: bool) -> list[Decimal]:
    """The euro amounts that are known, as imposed or as they stand."""
    return [a for a in (euro_value(d, standing=standing) for d in decisions) if a is not None]


def _total(decisions: Iterable[Entry], standing: bool) -> Decimal | None:
    """The sum of the known euro amounts; None when none is known."""
    amounts = known_amounts(decisions, standing=standing)
    return sum(amounts, Decimal(0)) if amounts else None


def _group_order(
    decisions: Sequence[Entry], by: tuple[GroupBy, ...], standing: bool, rows: list[SummaryRow]
) -> Callable[[SummaryRow], tuple[tuple[object, ...], ...]]:
    """Rows by their first key, then their second, ...: each in time order, or largest total first."""
    sizes = [_sizes(_members(decisions, by[:depth]), standing) for depth in range(1, len(by))]
    sizes.append({row.keys: (row.total_eur, row.count) for row in rows})

    def order(row: SummaryRow) -> tuple[tuple[object, ...], ...]:
        """The row's rank under each key in turn."""
        return tuple(_rank(key, row.keys[: depth + 1], sizes[depth]) for depth, key in enumerate(by))

    return order


Sizes = dict[tuple[str, ...], tuple[Decimal | None, int]]


def _sizes(groups: dict[tuple[str, ...], list[Entry]], standing: bool) -> Sizes:
    """Each group's total and count, to rank it by."""
    return {keys: (_total(group, standing), len(group)) for keys, group in groups.items()}


def _rank(key: GroupBy, prefix: tuple[str, ...], sizes: Sizes) -> tuple[object, ...]:
    """Where a group goes under its last key: by its value in time, else largest total and count first."""
    if key in CHRONOLOGICAL:
        return (prefix[-1],)
    return (*largest_first(*sizes[prefix]), prefix[-1])


def largest_first(total: Decimal | None, count: int) -> tuple[bool, Decimal, int]:
    """How groups are ordered by size: largest total first, unknown totals last, then most decisions."""
    return (total is None, -(total or Decimal(0)), -count)


def _summary_row(
    keys: tuple[str, ...],
    by: tuple[GroupBy, ...],
    group: list[Entry],
    grand_total: Decimal | None,
    standing: bool,
) -> SummaryRow:
    """The figures of one group."""
    import statistics  # 20 ms to import (fractions, random): only summaries need it

    amounts = known_amounts(group, standing=standing)
    total = sum(amounts, Decimal(0))
    known_total = total if amounts else None
    return SummaryRow(
        by=by,
        keys=keys,
        labels=tuple(_label(value, key, group) for value, key in zip(keys, by, strict=True)),
        count=len(group),
        amounts_known=len(amounts),
        total_eur=known_total,
        median_eur=_cents(statistics.median(amounts)) if amounts else None,
        mean_eur=_cents(total / len(amounts)) if amounts else None,
        max_eur=max(amounts) if amounts else None,
        share=_share(known_total, grand_total),
        standing=standing,
    )


def _share(total: Decimal | None, grand_total: Decimal | None) -> Decimal | None:
    """A group's part of the grand total, 0 to 1; None when its total is unknown."""
    if total is None:
        return None
    return (total / grand_total).quantize(Decimal("0.0001")) if grand_total else Decimal(0)


def _label(value: str, by: GroupBy, group: Sequence[Entry]) -> str:
    """A group's words; an unnamed party's (its group of one) say who it is: `[unnamed: a bank]`."""
    first = group[0]
    if by in (GroupBy.ENTITY, GroupBy.GROUP) and first.entity is None and value == party_key(first):
        return first.display
    return group_label(value, by)


def _cents(value: Decimal) -> Decimal:
    """Round to the cent."""
    return value.quantize(CENT)


def rank_groups(decisions: Sequence[Entry], by: GroupBy, *, standing: bool) -> list[SummaryRow]:
    """Groups ranked by their total, largest first."""
    rows = summarise(decisions, by, standing=standing)
    return sorted(rows, key=lambda r: (*largest_first(r.total_eur, r.count), r.key))


def id_meant(text: str) -> str:
    """The id a user meant by a file name or path (`data/decisions/X.yaml`), in any case."""
    name = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, extension = name.rpartition(".")
    if dot and extension.lower() in ("yaml", "yml"):
        name = stem
    return name.lower()


def suggest_ids(wanted: str, ids: Iterable[str], limit: int = 3) -> list[str]:
    """Ids close to one that was not found: containing it, or spelled alike."""
    import difflib

    pool = list(ids)
    containing = [i for i in pool if wanted.lower() in i]
    return (
        containing
        + [i for i in difflib.get_close_matches(wanted.lower(), pool, n=limit) if i not in containing]
    )[:limit]
