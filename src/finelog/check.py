"""Data-quality warnings that validation cannot decide alone: likely duplicates, suspect dates, typos.

Every record here is valid; these are the facts a reviewer should look at twice. Pure: a
list of loaded records in, a list of findings out, each at the file and key it concerns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

from finelog.articles import ArticleRef
from finelog.entry import Problem
from finelog.loader import Loaded
from finelog.models import Decision, EventKind, Kind, Precision
from finelog.registry import laws, normalise
from finelog.strictyaml import Loc
from finelog.trackers import PLACEHOLDER_DATES, ZERO_AMOUNT_NOTE, slug, split_legal_form, unread_articles

GDPR_APPLIES: Final = date(2018, 5, 25)
EU_LAW: Final = "EU"  # the country of a law every EU/EEA authority applies: the GDPR
DUPLICATE_DAYS: Final = 7
DUPLICATE_TOLERANCE: Final = Decimal("0.02")
ANNOUNCEMENT_GAP: Final = timedelta(days=45)
SOURCE_GAP: Final = timedelta(days=30)
MIN_NAME: Final = 6
_COURT_EVENTS: Final = frozenset(
    {EventKind.APPEAL_LODGED, EventKind.UPHELD, EventKind.REDUCED, EventKind.ANNULLED, EventKind.REMITTED}
)
_URL_DATE: Final = re.compile(r"(?<!\d)(20[12]\d)[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")
_ORIGINALLY: Final = re.compile(
    r"(?i)\b(?:originally|initially)\b[^.;]{0,40}?(?:EUR|€)\s*"
    r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(million|mn|m|billion|bn)\b)?"
)
_SCALE: Final = {"million": 6, "mn": 6, "m": 6, "billion": 9, "bn": 9}
_ANNULLED: Final = re.compile(r"(?i)\b(?:annull?ed|overturned|quashed|set aside|revoked)\b")


class Code(StrEnum):
    """What kind of finding it is."""

    DUPLICATE = "likely-duplicate"
    PLACEHOLDER_DATE = "placeholder-date"
    SWAPPED_DATE = "swapped-date"
    BEFORE_ENFORCED = "before-enforced"
    DATE_AFTER_SOURCE = "date-after-source"
    BEFORE_GDPR = "before-gdpr"
    UNKNOWN_AMOUNT = "unknown-amount"
    ZERO_AMOUNT = "zero-amount"
    UNKNOWN_ARTICLES = "unknown-articles"
    NAME_VARIANT = "name-variant"
    APPEAL_OVERWRITE = "appeal-overwrite"
    FOREIGN_LAW = "foreign-law"
    INVALID = "invalid"


@dataclass(frozen=True, order=True)
class Finding:
    """One thing to look at, in one file: `path:line:col: code: message`."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The finding as a JSON object."""
        return asdict(self)


def _at(item: Loaded, loc: Loc, code: Code, message: str) -> Finding:
    """A finding at a key of a record."""
    mark = item.document.mark_of(loc)
    return Finding(item.path, mark.line, mark.column, code.value, message)


def check(records: Sequence[Loaded]) -> list[Finding]:
    """Every finding in a data set, sorted by file and position."""
    findings: list[Finding] = []
    for item in records:
        findings.extend(_record_findings(item, records))
    findings.extend(likely_duplicates(records))
    findings.extend(name_variants(records))
    return sorted(set(findings))


def invalid(problems: Sequence[Problem]) -> list[Finding]:
    """A file that does not validate is not checked: each of its problems is a finding of its own."""
    return [
        Finding(p.path, p.line, p.column, Code.INVALID.value, f"{p.field}: {p.message}") for p in problems
    ]


def _record_findings(item: Loaded, records: Sequence[Loaded]) -> Iterator[Finding]:
    """The findings about one record alone."""
    yield from placeholder_dates(item)
    yield from suspect_dates(item, records)
    yield from amounts(item)
    yield from articles(item)
    yield from foreign_laws(item)
    yield from appeal_overwrites(item)


# ---- one record ---------------------------------------------------------------------------------


def placeholder_dates(item: Loaded) -> Iterator[Finding]:
    """`1970-01-01` and its like: a date a scraper filled in for an unknown one."""
    decision = item.decision
    dated: list[tuple[Loc, date]] = [(("decision_date",), decision.decision_date.start)]
    if decision.announced_date is not None:
        dated.append((("announced_date",), decision.announced_date.start))
    dated += [(("events", i, "date"), event.date.start) for i, event in enumerate(decision.events)]
    for loc, when in dated:
        if when in PLACEHOLDER_DATES:
            yield _at(item, loc, Code.PLACEHOLDER_DATE, f"{when} is a placeholder, not a real date")


def swapped(when: date) -> date | None:
    """The date with day and month exchanged, if that is another real date."""
    if when.day > 12 or when.day == when.month:
        return None
    return when.replace(month=when.day, day=when.month)


def source_dates(decision: Decision) -> list[date]:
    """Dates written in the sources' URLs (`.../20191105-PM...`): when those were published."""
    found: list[date] = []
    for source in decision.sources:
        for year, month, day in _URL_DATE.findall(source.url):
            try:
                found.append(date(int(year), int(month), int(day)))
            except ValueError:
                continue
    return found


def suspect_dates(item: Loaded, records: Sequence[Loaded]) -> Iterator[Finding]:
    """Decision dates that come after what they should precede; a day/month swap if that explains it."""
    decision = item.decision
    if decision.decision_date.precision is not Precision.DAY:
        return
    when = decision.decision_date.start
    alternative = swapped(when)
    loc: Loc = ("decision_date",)
    published = min(source_dates(decision), default=None)
    if published is not None and when > published:
        if alternative is not None and alternative <= published:
            yield _at(item, loc, Code.SWAPPED_DATE, f"{when} is after its source was published "
                      f"({published}); day and month swapped? ({alternative})")  # fmt: skip
        elif when - published > SOURCE_GAP:
            yield _at(item, loc, Code.DATE_AFTER_SOURCE, f"{when} is after its source was published "
                      f"({published}): the date of a later event, such as an appeal?")  # fmt: skip
    announced = decision.announced_date
    if (
        announced is not None
        and announced.precision is Precision.DAY
        and announced.start - when > ANNOUNCEMENT_GAP
        and alternative is not None
        and timedelta(0) <= announced.start - alternative <= ANNOUNCEMENT_GAP
    ):
        yield _at(item, loc, Code.SWAPPED_DATE, f"{when} is {(announced.start - when).days} days before "
                  f"the announcement ({announced}); day and month swapped? ({alternative})")  # fmt: skip
    yield from _enforces_later(item, records, alternative)
    if when < GDPR_APPLIES and "GDPR" in decision.laws:
        hint = (
            f"; day and month swapped? ({alternative})" if alternative and alternative >= GDPR_APPLIES else ""
        )
        code = Code.SWAPPED_DATE if hint else Code.BEFORE_GDPR
        yield _at(
            item, loc, code, f"{when} is before the GDPR applied ({GDPR_APPLIES}) but it cites it{hint}"
        )


def _enforces_later(item: Loaded, records: Sequence[Loaded], alternative: date | None) -> Iterator[Finding]:
    """A penalty payment dated before the decision it enforces."""
    links = item.decision.links
    if links is None or links.enforces is None:
        return
    target = next((r.decision for r in records if r.decision.id == links.enforces), None)
    when = item.decision.decision_date.start
    if target is None or target.decision_date.start <= when:
        return
    fixed = alternative is not None and alternative >= target.decision_date.start
    hint = f"; day and month swapped? ({alternative})" if fixed else ""
    message = f"{when} is before the decision it enforces ({target.id}, {target.decision_date}){hint}"
    yield _at(item, ("decision_date",), Code.SWAPPED_DATE if fixed else Code.BEFORE_ENFORCED, message)


def amounts(item: Loaded) -> Iterator[Finding]:
    """A fine whose amount is unknown or zero."""
    decision = item.decision
    if decision.kind not in (Kind.FINE, Kind.PENALTY_PAYMENT):
        return
    kind = decision.kind.label
    if decision.amount is None:
        yield _at(item, ("kind",), Code.UNKNOWN_AMOUNT, f"a {kind} with no amount: totals leave it out")
    elif decision.amount == 0:
        yield _at(item, ("amount",), Code.ZERO_AMOUNT, f"a {kind} of 0: unknown, not final, or annulled?")


def articles(item: Loaded) -> Iterator[Finding]:
    """No article recorded, or article text that could not be read."""
    decision = item.decision
    if not decision.articles and decision.kind is not Kind.ORDER:
        yield _at(item, ("articles",), Code.UNKNOWN_ARTICLES, "no article recorded")
    unread = unread_articles(decision.notes)
    if unread is not None:
        yield _at(item, ("notes",), Code.UNKNOWN_ARTICLES, f"article text not recognised: {unread}")


def foreign_laws(item: Loaded) -> Iterator[Finding]:
    """An article of a law of another country than the authority's: `UK-GDPR` on a CNIL record."""
    decision = item.decision
    cited: list[tuple[Loc, ArticleRef]] = [(("articles", i), ref) for i, ref in enumerate(decision.articles)]
    for p, part in enumerate(decision.parts):
        cited += [(("parts", p, "articles", i), ref) for i, ref in enumerate(part.articles)]
    for loc, ref in cited:
        country = laws().by_code[ref.law].country
        if country not in (EU_LAW, decision.country):
            authority = f"{decision.regulator} is an authority of {decision.country}"
            yield _at(
                item, loc, Code.FOREIGN_LAW, f"{ref.law} is a law of {country}, but {authority}: a typo?"
            )


def appeal_overwrites(item: Loaded) -> Iterator[Finding]:
    """An amount a later ruling overwrote, where an appeal event should carry the change."""
    decision = item.decision
    if any(event.kind in _COURT_EVENTS for event in decision.events):
        return
    notes = (decision.notes or "").replace(ZERO_AMOUNT_NOTE, "")
    text = f"{decision.summary} {notes}"
    original = _ORIGINALLY.search(text)
    if original is not None:
        digits, decimals, scale = original.groups()
        amount = Decimal(digits.replace(",", "") + (decimals or "")).scaleb(
            _SCALE.get((scale or "").lower(), 0)
        )
        if decision.amount != amount:
            loc: Loc = ("amount",) if decision.amount is not None else ("kind",)
            message = (
                f"the text says the fine was originally EUR {amount:,} but the amount is "
                f"{_shown(decision.amount)}: record the amount imposed, and what changed it as an event"
            )
            yield _at(item, loc, Code.APPEAL_OVERWRITE, message)
            return
    if (decision.amount is None or decision.amount == 0) and _ANNULLED.search(text):
        yield _at(item, ("kind",), Code.APPEAL_OVERWRITE,
                  f"the amount is {_shown(decision.amount)} and the text says the fine was annulled: "
                  "record the amount imposed and an `annulled` event")  # fmt: skip


def _shown(amount: Decimal | None) -> str:
    """An amount for a message."""
    return "unknown" if amount is None else f"{amount:,}"


# ---- across records -----------------------------------------------------------------------------


def _same_amount(a: Decision, b: Decision) -> bool:
    """The same amount: equal in one currency, or within 2% in euros across currencies."""
    if a.amount is None or b.amount is None:
        return False
    if a.currency == b.currency:
        return a.amount == b.amount
    euro_a, euro_b = a.imposed_eur, b.imposed_eur
    if euro_a is None or euro_b is None or max(euro_a, euro_b) == 0:
        return False
    return abs(euro_a - euro_b) / max(euro_a, euro_b) <= DUPLICATE_TOLERANCE


def _same_party(a: Decision, b: Decision) -> bool:
    """Names that could be one party: equal, the same words, or one within the other under one legal form.

    `Google Inc.` and `Google LLC` may be one party; `Uber B.V.` and `Uber Technologies Inc.` are two.
    """
    if a.entity.name is None or b.entity.name is None:
        return (
            a.entity.description == b.entity.description and a.decision_date == b.decision_date
            if a.entity.name is None and b.entity.name is None
            else False
        )
    if normalise(a.entity.name) == normalise(b.entity.name):
        return True
    words_a, form_a = split_legal_form(a.entity.name)
    words_b, form_b = split_legal_form(b.entity.name)
    if words_a == words_b:
        return bool(words_a)
    if form_a and form_b and _form(form_a) != _form(form_b):
        return False
    short, long = sorted(("-".join(words_a), "-".join(words_b)), key=len)
    return bool(short) and (f"-{short}-" in f"-{long}-" or _typo(short, long))


_SAME_FORM: Final = {"limited": "ltd", "incorporated": "inc", "corporation": "corp"}


def _form(words: tuple[str, ...]) -> str:
    """A legal form for comparison: `Limited` as `ltd`, `S.A.` as `sa`."""
    return "".join(_SAME_FORM.get(word, word) for word in words)


def _linked(a: Decision, b: Decision) -> bool:
    """One links to the other (a penalty payment and its decision, a re-decision)."""
    targets_a = {a.links.enforces, a.links.replaces} if a.links else set()
    targets_b = {b.links.enforces, b.links.replaces} if b.links else set()
    return b.id in targets_a or a.id in targets_b


DUPLICATE_WINDOW: Final = timedelta(days=DUPLICATE_DAYS)


def likely_same_decision(a: Decision, b: Decision) -> bool:
    """Same regulator, party and amount, decided a few days apart, and neither links to the other."""
    return (
        a.regulator == b.regulator
        and abs(a.decision_date.start - b.decision_date.start) <= DUPLICATE_WINDOW
        and _same_amount(a, b)
        and _same_party(a, b)
        and not _linked(a, b)
    )


def why_alike(a: Decision, b: Decision) -> str:
    """What two likely duplicates share, in words."""
    return f"same regulator and amount, decided {a.decision_date} and {b.decision_date}"


def likely_duplicates(records: Sequence[Loaded]) -> Iterator[Finding]:
    """Same regulator, party and amount, dates a few days apart: one decision recorded twice."""
    by_regulator: dict[str, list[Loaded]] = defaultdict(list)
    for item in records:
        if item.decision.amount is not None:
            by_regulator[item.decision.regulator].append(item)
    for group in by_regulator.values():
        group.sort(key=lambda r: (r.decision.decision_date.start, r.decision.id))
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                a, b = first.decision, second.decision
                if b.decision_date.start - a.decision_date.start > DUPLICATE_WINDOW:
                    break
                if likely_same_decision(a, b):
                    message = f"the same decision as {a.id} ({first.path})? {why_alike(a, b)}"
                    yield _at(second, ("decision_date",), Code.DUPLICATE, message)


def _one_edit(a: str, b: str) -> bool:
    """Whether b is a with one character changed, added, removed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _typo(a: str, b: str) -> bool:
    """Slugs one edit apart that are not just different numbers (`company-1`, `company-2`)."""
    return (
        min(len(a), len(b)) >= MIN_NAME and _one_edit(a, b) and re.sub(r"\d", "", a) != re.sub(r"\d", "", b)
    )


def name_variants(records: Sequence[Loaded]) -> Iterator[Finding]:
    """Entity names that differ only in case and accents, or by one typo."""
    holders: dict[str, list[Loaded]] = defaultdict(list)
    for item in records:
        if item.decision.entity.name is not None:
            holders[item.decision.entity.name].append(item)
    pairs: set[tuple[str, str]] = set()
    by_folded: dict[str, list[str]] = defaultdict(list)
    for name in holders:
        by_folded[normalise(name)].append(name)
    for spellings in by_folded.values():
        pairs.update((a, b) for a in spellings for b in spellings if a < b)
    slugs = {name: slug(name) for name in holders}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for name, text in slugs.items():
        for key in {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}:
            neighbours[key].add(name)
    for names in neighbours.values():
        pairs.update((a, b) for a in names for b in names if a < b and _typo(slugs[a], slugs[b]))
    for a, b in sorted(pairs):
        for rare, common in _report_on(a, b, len(holders[a]), len(holders[b])):
            other = holders[common][0]
            for item in holders[rare]:
                message = f"{rare!r} differs only slightly from {common!r} ({other.decision.id}): a typo?"
                yield _at(item, ("entity", "name"), Code.NAME_VARIANT, message)


def _report_on(a: str, b: str, count_a: int, count_b: int) -> list[tuple[str, str]]:
    """The rarer spelling is the suspect one; with no majority, both are."""
    if count_a == count_b:
        return [(a, b), (b, a)]
    return [(a, b)] if count_a < count_b else [(b, a)]
