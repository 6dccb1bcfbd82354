"""Tracker exports to decision records: columns by name, one row to one record or its reasons. Pure.

Two exports are known: the CMS Enforcement Tracker table (and scrapes of it with
snake_case columns) and PrivacyAffairs tracker scrapes (such as the TidyTuesday 2020 set).
Nothing here reads or writes files, and nothing guesses: an authority, a date or an amount
that cannot be read with certainty makes the row a rejection that says why.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from html.parser import HTMLParser
from typing import Final
from urllib.parse import urlsplit

from finelog.articles import ArticleError, ArticleRef, parse_references
from finelog.models import ID_MAX_LENGTH
from finelog.registry import Regulator, UnknownName, countries, normalise, regulators
from finelog.strictyaml import HIDDEN_CHARACTERS
from finelog.vocab import PartialDate, Precision, Sector, Tracker, ViolationType
from finelog.yamlwriter import Value

PLACEHOLDER_DATES: Final = frozenset({date(1970, 1, 1), date(1900, 1, 1)})
UNREAD_ARTICLES: Final = "Article text the import could not read"
_QUOTED: Final = r"'(?:[^'\\]|\\.)*'" + "|" + r'"(?:[^"\\]|\\.)*"'  # a repr() of a str
_UNREAD_NOTE: Final = re.compile(rf"{re.escape(UNREAD_ARTICLES)}: ((?:{_QUOTED})(?:; (?:{_QUOTED}))*)\.")
BREXIT: Final = date(2021, 1, 1)
ZERO_AMOUNT_NOTE: Final = (
    "The tracker gives an amount of 0, which trackers use for fines that are not final "
    "or were annulled; the amount is recorded as unknown."
)


class Field(StrEnum):
    """What a column holds, whatever the export calls it."""

    TRACKER_ID = "tracker id"
    COUNTRY = "country"
    AUTHORITY = "authority"
    DATE = "date"
    AMOUNT = "amount"
    ENTITY = "entity"
    SECTOR = "sector"
    ARTICLES = "articles"
    TYPE = "type"
    SUMMARY = "summary"
    SOURCE = "source"


def header_key(name: str) -> str:
    """A column name folded for matching: `Date of Decision` and `date_of_decision` agree."""
    return "".join(c for c in normalise(name) if c.isalnum())


_COMMON: Final[dict[Field, tuple[str, ...]]] = {
    Field.COUNTRY: ("country",),
    Field.AUTHORITY: ("authority", "dpa", "regulator", "supervisoryauthority"),
    Field.DATE: ("dateofdecision", "decisiondate", "date"),
    Field.AMOUNT: ("fine", "fineeur", "fineineur", "amounteur", "amountineur", "amount", "fineeuro"),
    Field.ENTITY: (
        "controllerprocessor", "controllerorprocessor", "controller", "orgfined", "organisation",
        "organization", "entity",
    ),
    Field.SECTOR: ("sector",),
    Field.ARTICLES: ("quotedart", "quotedarticles", "quotedarticle", "articles", "articleviolated",
                     "articlesviolated"),
    Field.TYPE: ("type", "violationtype", "violation"),
    Field.SUMMARY: ("summary", "description"),
    Field.SOURCE: ("source", "sourceurl", "url", "link"),
}  # fmt: skip


@dataclass(frozen=True)
class TrackerSpec:
    """How one tracker's export is laid out and how its rows are credited."""

    tracker: Tracker
    label: str
    terms: str
    columns: Mapping[Field, tuple[str, ...]]
    required: frozenset[Field]
    us_dates: bool
    suffix: str
    marks: tuple[str, ...]  # header keys that only this tracker's exports carry
    reference_key: str  # where a record keeps the row's tracker id, under `references`

    def reference(self, tracker_id: str | None) -> str:
        """How a row is cited in provenance: `ETid-23`, `row id 89`."""
        if tracker_id is None:
            return "no tracker id"
        return tracker_id if self.tracker is Tracker.CMS else f"row id {tracker_id}"

    def provenance(self, tracker_id: str | None, fingerprint: str) -> str:
        """The record's provenance: which tracker, which row (by id, else by fingerprint), whose words."""
        row = self.reference(tracker_id) if tracker_id else f"no tracker id; row fingerprint {fingerprint}"
        return (
            f"imported from a {self.label} ({row}); text and classification "
            f"are the tracker's ({self.terms}): check them against the authority's publication"
        )


_REQUIRED: Final = frozenset({Field.AUTHORITY, Field.DATE, Field.AMOUNT, Field.ENTITY, Field.SOURCE})

SPECS: Final = {
    Tracker.CMS: TrackerSpec(
        tracker=Tracker.CMS,
        label="CMS Enforcement Tracker export",
        terms="enforcementtracker.com, whose terms of use apply",
        columns=_COMMON | {Field.TRACKER_ID: ("etid", "enforcementtrackerid")},
        required=_REQUIRED,
        us_dates=False,
        suffix="etid",
        marks=("etid", "enforcementtrackerid"),
        reference_key="etid",
    ),
    Tracker.PRIVACYAFFAIRS: TrackerSpec(
        tracker=Tracker.PRIVACYAFFAIRS,
        label="PrivacyAffairs GDPR fines tracker scrape",
        terms="privacyaffairs.com, whose terms of use apply",
        columns=_COMMON
        | {Field.TRACKER_ID: ("id",), Field.COUNTRY: ("country", "name"), Field.AMOUNT: ("price", "fine")},
        required=_REQUIRED,
        us_dates=True,
        suffix="pa",
        marks=("picture",),
        reference_key="privacyaffairs",
    ),
}


class ExportError(ValueError):
    """A file that is not an export of the tracker named: no rows can be read from it."""


@dataclass(frozen=True)
class Row:
    """One data row of an export: its number, the line it starts on, and its fields by meaning."""

    number: int
    line: int
    values: Mapping[Field, str]
    problem: str | None = None

    def get(self, name: Field) -> str:
        """A field's text, stripped; empty when the export has no such column."""
        return self.values.get(name, "").strip()


@dataclass(frozen=True)
class Table:
    """The rows of an export."""

    rows: list[Row]


def match_columns(header: Sequence[str], spec: TrackerSpec) -> dict[Field, int]:
    """The column index of each field, by name; ExportError if a required one is missing."""
    refuse_other_tracker(header, spec)
    wanted = {alias: name for name, aliases in spec.columns.items() for alias in aliases}
    found: dict[Field, int] = {}
    for index, column in enumerate(header):
        name = wanted.get(header_key(column))
        if name is None:
            continue
        if name in found:
            first = header[found[name]]
            raise ExportError(f"columns {first!r} and {column!r} both look like the {name}")
        found[name] = index
    missing = [name.value for name in spec.required if name not in found]
    if missing:
        shown = ", ".join(repr(c) for c in header[:12]) or "none"
        raise ExportError(
            f"no column for the {', '.join(sorted(missing))} (found {shown}); "
            f"is it a {spec.label.split(' export')[0].split(' scrape')[0]} export?"
        )
    return found


def refuse_other_tracker(header: Sequence[str], spec: TrackerSpec) -> None:
    """ExportError if the header has another tracker's identifying column and none of this one's."""
    marked = {header_key(column): column for column in header}
    if any(mark in marked for mark in spec.marks):
        return
    for other in SPECS.values():
        column = next((marked[mark] for mark in other.marks if mark in marked), None)
        if other is not spec and column is not None:
            article = "an" if column[:1].lower() in "aeiou" else "a"
            raise ExportError(
                f"looks like a {other.label} (it has {article} {column} column): "
                f"use `finelog import {other.tracker.value}`"
            )


def decode(raw: bytes) -> str:
    """UTF-8 text with or without a byte-order mark; ExportError at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ExportError(f"not UTF-8 text (line {line}); save the export as UTF-8") from None


def read_table(text: str, spec: TrackerSpec) -> Table:
    """The rows of a CSV export, fields matched by column name; blank lines are not rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ExportError("the file is empty: no header row")
        indexes = match_columns(header, spec)
        rows: list[Row] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_row(len(rows) + 1, line, cells, indexes, len(header)))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ExportError(f"not a readable CSV file (line {reader.line_num}): {error}") from None
    return Table(rows)


def _row(number: int, line: int, cells: list[str], indexes: Mapping[Field, int], width: int) -> Row:
    """One row's fields; a row with more or fewer cells than the header carries a problem."""
    values = {name: cells[index] for name, index in indexes.items() if index < len(cells)}
    problem = None
    if len(cells) != width:
        problem = f"the row has {len(cells)} columns where the header has {width}"
    return Row(number, line, values, problem)


# ---- cleaning text --------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, with a space where block tags break it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "br", "div", "li", "tr", "td"):
            self.parts.append(" ")


def plain_text(text: str) -> str:
    """HTML tags and entities removed, white space collapsed to single spaces."""
    if "<" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    elif "&" in text:
        text = html.unescape(text)
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(cleaned.split())


_SECTOR_PREFIX: Final = re.compile(r"^\s*Sector:\s*([^.]+?)\s*\.\s*", re.IGNORECASE)


def split_sector(summary: str) -> tuple[str | None, str]:
    """`Sector: Health Care. Text` as ('Health Care', 'Text')."""
    match = _SECTOR_PREFIX.match(summary)
    if match is None:
        return None, summary
    return match.group(1), summary[match.end() :]


# ---- fields -------------------------------------------------------------------------------------


_UNKNOWN_WORDS: Final = frozenset({"", "unknown", "not known", "n/a", "na", "none", "-", "--", "?", "tbd"})
_US_DATE: Final = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# An amount's one rule: a dot or comma followed by exactly three digits separates thousands
# (1,500 and 1.500 are both 1500); a decimal mark is followed by one or two digits (cents).
_PLAIN: Final = re.compile(r"^(?P<whole>\d+)(?:[.,](?P<cents>\d{1,2}))?$")
_GROUPED: Final = re.compile(
    r"^(?P<whole>[1-9]\d{0,2}(?P<sep>[,.\u00a0\u202f' ])\d{3}(?:(?P=sep)\d{3})*)"
    r"(?:(?P<mark>[.,])(?P<cents>\d{1,2}))?$"
)
_CURRENCY_MARK: Final = re.compile(r"(?i)^(?:€|eur)\s*|\s*(?:€|eur)$")
_URL: Final = re.compile(rf"https?://[^\s<>\"'{HIDDEN_CHARACTERS}]+")  # a control character ends it
_ETID: Final = re.compile(r"(?i)^(?:etid-?)?(\d+)$")
_ANONYMOUS_START: Final = re.compile(
    r"^(?:private|unknown|unnamed|anonymous|undisclosed|several|various"
    r"|not (?:known|disclosed|available|named))\b"
)
_ANONYMOUS: Final = frozenset(
    {"individual", "individuals", "person", "natural person", "citizen", "company", "n/a", "na", "-"}
)

# Non-euro countries, with the day each adopted the euro if it has since: an amount from
# these trackers is then the tracker's conversion, and the record says so.
_NON_EURO: Final[dict[str, date | None]] = {
    "GB": None, "SE": None, "NO": None, "DK": None, "PL": None, "CZ": None, "HU": None,
    "RO": None, "IS": None, "CH": None, "LI": None, "IM": None, "GG": None, "JE": None,
    "GI": None, "BG": date(2026, 1, 1), "HR": date(2023, 1, 1),
}  # fmt: skip


def read_date(text: str, *, us_dates: bool, today: date) -> tuple[PartialDate | None, str | None]:
    """The decision date, or why it cannot be used."""
    text = text.strip()
    if not text:
        return None, "no decision date"
    us = _US_DATE.match(text) if us_dates else None
    try:
        if us is not None:
            month, day, year = (int(g) for g in us.groups())
            when = PartialDate(date(year, month, day), Precision.DAY)
        else:
            when = PartialDate.parse(text)
    except ValueError:
        forms = "YYYY-MM-DD or MM/DD/YYYY" if us_dates else "YYYY-MM-DD"
        return None, f"unreadable date {text!r} (expected {forms})"
    if when.start in PLACEHOLDER_DATES:
        return None, f"placeholder date {text}: the tracker does not know when the decision was taken"
    if when.start > today:
        return None, f"date {when} is in the future"
    return when, None


def read_amount(text: str) -> tuple[Decimal | None, str | None, str | None]:
    """(amount, note, reason): an unknown amount is None, never zero; reason when unreadable."""
    cleaned = _CURRENCY_MARK.sub("", text.strip()).strip()
    if normalise(cleaned) in _UNKNOWN_WORDS:
        return None, None, None
    value = _number(cleaned)
    if value is None:
        return (
            None,
            None,
            (
                f"unreadable amount {text.strip()!r} (expected thousands in groups of three and at most "
                "two decimals, such as 1,200,000, 1.200.000 or 1,500.50)"
            ),
        )
    if value == 0:
        return None, ZERO_AMOUNT_NOTE, None
    return value, None, None


def _number(text: str) -> Decimal | None:
    """A number by the rule above (thousands in groups of three, at most two decimals), else None."""
    grouped = _GROUPED.match(text)
    match = _PLAIN.match(text) or (grouped if grouped and grouped["sep"] != grouped["mark"] else None)
    if match is None:
        return None
    whole = re.sub(r"\D", "", match["whole"])
    return Decimal(f"{whole}.{match['cents']}" if match["cents"] else whole)


def read_regulator(authority: str, country: str) -> tuple[Regulator | None, list[str]]:
    """The authority through the registry's aliases, the row's country settling a shared alias."""
    reasons: list[str] = []
    place = countries().find(country) if country else None
    if country and place is None:
        reasons.append(f"unknown country {country!r}")
    if not authority:
        return None, [*reasons, "no authority"]
    try:
        regulator = regulators().resolve(authority)
    except UnknownName as error:
        local = [c for c in error.candidates if place and regulators().by_code[c].country == place.code]
        if len(local) != 1:
            if error.candidates:
                reasons.append(f"authority {authority!r} is ambiguous ({', '.join(error.candidates)})")
            else:
                reasons.append(f"unknown authority {authority!r} (not in the registry: `finelog regulators`)")
            return None, reasons
        regulator = regulators().by_code[local[0]]
    if place is not None and regulator.country != place.code:
        reasons.append(
            f"authority {authority!r} ({regulator.code}) is in {regulator.country}, "
            f"but the row's country is {country!r}"
        )
    return (None, reasons) if reasons else (regulator, [])


def entity_fields(name: str) -> dict[str, Value]:
    """`name`, or `description` for a party the tracker does not name (`Private person`)."""
    folded = normalise(name)
    if folded in _ANONYMOUS or _ANONYMOUS_START.match(folded):
        return {"description": name[:1].lower() + name[1:] if name[1:2].islower() else name}
    return {"name": name}


_TYPE_WORDS: Final[tuple[tuple[ViolationType, re.Pattern[str]], ...]] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (ViolationType.LEGAL_BASIS, r"legal basis|lawful basis|lawfulness|consent"),
        (ViolationType.PRINCIPLES, r"principles"),
        (ViolationType.SECURITY, r"security|technical and organi[sz]ational"),
        (ViolationType.DATA_SUBJECT_RIGHTS, r"subjects?'? ?s?'? rights|rights of (?:the )?data subjects"),
        (ViolationType.INFORMATION, r"information obligation|obligation to inform|transparency"),
        (ViolationType.COOPERATION, r"cooperat|co-operat"),
        (ViolationType.BREACH_NOTIFICATION, r"breach notification|notif\w* (?:of )?(?:a |the )?data breach"),
        (ViolationType.DPO_INVOLVEMENT, r"involvement of (?:the )?(?:data protection officer|dpo)"),
        (ViolationType.PROCESSING_AGREEMENT, r"processing agreement|processor agreement"),
        (
            ViolationType.DPO_APPOINTMENT,
            r"(?:appoint\w*|designat\w*) (?:of )?(?:a |the )?(?:data protection officer|dpo)"
            r"|(?:data protection officer|dpo) (?:was )?(?:not )?appointed",
        ),
    )
)


def read_types(text: str) -> tuple[list[ViolationType], str | None]:
    """Violation types from the tracker's words; `unknown`, with a note, when none is recognised."""
    cleaned = plain_text(text)
    exact = ViolationType.from_text(cleaned)
    if exact is not None:
        return [exact], None
    folded = normalise(cleaned)
    found = [kind for kind, pattern in _TYPE_WORDS if pattern.search(folded)]
    if found:
        return found, None
    if folded in _UNKNOWN_WORDS or folded in ("several", "various"):
        return [ViolationType.UNKNOWN], None
    return [ViolationType.UNKNOWN], f"The tracker's violation type {cleaned!r} is not in the vocabulary."


_CHUNK: Final = re.compile(r"[,;]\s*(?=(?:Art(?:icle)?s?\b|Artt?\.|§))", re.IGNORECASE)


def read_articles(text: str, default_law: str) -> tuple[list[ArticleRef], list[str]]:
    """The references that parse, and the pieces of text that do not."""
    cleaned = plain_text(text)
    if normalise(cleaned) in _UNKNOWN_WORDS:
        return [], []
    try:
        return _unique(parse_references(cleaned, default_law)), []
    except ArticleError:
        pass
    refs: list[ArticleRef] = []
    unread: list[str] = []
    for chunk in _CHUNK.split(cleaned):
        try:
            refs.extend(parse_references(chunk, default_law))
        except ArticleError:
            unread.append(chunk.strip(" ,;"))
    return _unique(refs), unread


def _unique(refs: list[ArticleRef]) -> list[ArticleRef]:
    """References in order, each once."""
    return list(dict.fromkeys(refs))


def read_source(text: str, regulator: Regulator) -> dict[str, Value] | None:
    """The row's source: `authority` when it is on the regulator's own site, else `tracker`."""
    match = _URL.search(text)
    if match is None:
        return None
    url = match.group(0).rstrip(".,;)")
    host = _host(url)
    own = _host(regulator.website) if regulator.website else None
    kind = "authority" if own and host and (host == own or host.endswith("." + own)) else "tracker"
    return {"url": url, "kind": kind}


def _host(url: str) -> str | None:
    """The host of a URL without `www.`."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def read_tracker_id(text: str, spec: TrackerSpec) -> tuple[str | None, str | None]:
    """`ETid-23` for CMS (also from `23` or `etid-23`), the row id for PrivacyAffairs."""
    if not text:
        return None, None
    if spec.tracker is Tracker.CMS:
        match = _ETID.match(text)
        if match is None:
            return None, f"tracker id {text!r} is not of the form ETid-N"
        return f"ETid-{int(match.group(1))}", None
    if not text.isdecimal():
        return None, f"row id {text!r} is not a number"
    return str(int(text)), None


# ---- ids ----------------------------------------------------------------------------------------

_LEGAL_FORMS: Final = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "ltd", "limited", "inc", "incorporated", "llc", "plc", "gmbh", "ag", "kg", "gmbh co kg",
                "se", "sa", "s a", "sas", "s a s", "sarl", "s a r l", "s a rl", "s r l", "srl", "spa",
                "s p a", "sl", "s l", "slu", "s l u", "sau", "s a u", "bv", "b v", "nv", "n v", "oy",
                "oyj", "ab", "as", "asa", "aps", "a s", "sp z o o", "s r o", "sro", "d o o", "doo",
                "kft", "zrt", "co", "corp", "corporation", "company", "unlimited company", "dac", "ltda",
                "eood", "ead", "ood", "uab", "sia", "ehf", "hf",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
SLUG_WORDS: Final = 6
_TRANSLITERATE: Final = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D",
     "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip


def split_legal_form(name: str) -> tuple[list[str], tuple[str, ...]]:
    """An entity name as ASCII words, and the legal form (`Ltd`, `S.A.`) at its end, if any."""
    decomposed = unicodedata.normalize("NFKD", name.replace("&", " ").translate(_TRANSLITERATE))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", ascii_text.decode().lower())
    form: tuple[str, ...] = ()
    changed = True
    while changed:
        changed = False
        for candidate in _LEGAL_FORMS:
            if len(words) > len(candidate) and tuple(words[-len(candidate) :]) == candidate:
                del words[-len(candidate) :]
                form = candidate + form
                changed = True
                break
    return words, form


def slug(name: str, limit: int | None = None) -> str:
    """An entity name as id words: ASCII, lower case, legal forms such as `Ltd` or `S.A.` dropped.

    With a limit, the words that fit in that many characters (the first word cut if it alone does not).
    """
    words = split_legal_form(name)[0][:SLUG_WORDS]
    if limit is None:
        return "-".join(words)
    kept = [word for index, word in enumerate(words) if len("-".join(words[: index + 1])) <= limit]
    return "-".join(kept) or (words[0][:limit] if words else "")


def fallback_token(*facts: str) -> str:
    """A short stable token for a row that has no tracker id, from its facts."""
    return hashlib.sha256("\x1f".join(facts).encode()).hexdigest()[:8]


# ---- rows to records ----------------------------------------------------------------------------


@dataclass
class Mapped:
    """A row turned into a record (without its id yet), and the facts that identify it."""

    record: dict[str, Value]
    regulator: Regulator
    decision_date: PartialDate
    amount: Decimal | None
    entity: str
    named: bool
    tracker_id: str | None
    base_id: str
    suffix: str


@dataclass
class Rejected:
    """A row that cannot become a record, and every reason why."""

    reasons: list[str] = field(default_factory=list)
    tracker_id: str | None = None


def map_row(row: Row, spec: TrackerSpec, today: date) -> Mapped | Rejected:
    """One row as a decision record, or all the reasons it cannot be one."""
    reasons: list[str] = [row.problem] if row.problem else []
    notes: list[str] = []
    tracker_id, why = read_tracker_id(row.get(Field.TRACKER_ID), spec)
    reasons += [why] if why else []
    regulator, why_not = read_regulator(
        plain_text(row.get(Field.AUTHORITY)), plain_text(row.get(Field.COUNTRY))
    )
    reasons += why_not
    when, why = read_date(row.get(Field.DATE), us_dates=spec.us_dates, today=today)
    reasons += [why] if why else []
    amount, note, why = read_amount(row.get(Field.AMOUNT))
    reasons += [why] if why else []
    notes += [note] if note else []
    entity = plain_text(row.get(Field.ENTITY))
    if not entity:
        reasons.append("no entity (the party fined)")
    source = read_source(row.get(Field.SOURCE), regulator) if regulator else None
    if regulator is not None and source is None:
        reasons.append(f"no source URL in {row.get(Field.SOURCE)[:60]!r}: a record needs a source")
    if reasons or regulator is None or when is None or source is None:
        return Rejected(reasons, tracker_id)
    summary_sector, summary = split_sector(plain_text(row.get(Field.SUMMARY)))
    sector, note = _sector(row.get(Field.SECTOR) or summary_sector or "")
    notes += [note] if note else []
    articles, more_notes = _articles(row.get(Field.ARTICLES), regulator, when)
    notes += more_notes
    types, note = read_types(row.get(Field.TYPE))
    notes += [note] if note else []
    notes += _currency_note(regulator, when, amount)
    entity_data = entity_fields(entity)
    if not summary:
        summary = (
            f"Listed by the {spec.label} as a fine imposed by the {regulator.name} on "
            f"{entity} on {when}; the export carries no summary."
        )
    source["title"] = f"Source given by the {spec.label} ({spec.reference(tracker_id)})"
    fingerprint = fallback_token(regulator.code, str(when), entity, str(amount))
    record: dict[str, Value] = {
        "regulator": regulator.code,
        "decision_date": str(when),
        "entity": {**entity_data, "role": "unknown"},
        "sector": sector.value,
        "kind": "fine",
        "amount": None if amount is None else format(amount, "f"),
        "currency": None if amount is None else "EUR",
        "articles": [str(ref) for ref in articles],
        "violation_types": [t.value for t in types],
        "summary": summary,
        "notes": " ".join(notes) or None,
        "sources": [source],
        "references": {spec.reference_key: tracker_id} if tracker_id else None,
        "provenance": spec.provenance(tracker_id, fingerprint),
    }
    record = {key: value for key, value in record.items() if value is not None}
    token = tracker_id or fingerprint
    suffix = f"{spec.suffix}-{token.lower().removeprefix('etid-')}"
    prefix = f"{regulator.code.lower()}-{when.start.year}-"
    base = prefix + (slug(entity, ID_MAX_LENGTH - len(prefix) - len(suffix) - 1) or "unnamed")
    return Mapped(
        record=record,
        regulator=regulator,
        decision_date=when,
        amount=amount,
        entity=entity,
        named="name" in entity_data,
        tracker_id=tracker_id,
        base_id=base,
        suffix=suffix,
    )


def _sector(text: str) -> tuple[Sector, str | None]:
    """The sector in the vocabulary; `not_assigned`, with a note, for words it does not know."""
    cleaned = plain_text(text)
    if not cleaned:
        return Sector.NOT_ASSIGNED, None
    sector = Sector.from_text(cleaned)
    if sector is None:
        return Sector.NOT_ASSIGNED, f"The tracker's sector {cleaned!r} is not in the vocabulary."
    return sector, None


def _articles(text: str, regulator: Regulator, when: PartialDate) -> tuple[list[ArticleRef], list[str]]:
    """Article references; after Brexit a UK authority's `GDPR` is the UK GDPR."""
    uk = regulator.country == "GB" and when.start >= BREXIT
    refs, unread = read_articles(text, "UK-GDPR" if uk else "GDPR")
    notes: list[str] = []
    if unread:
        notes.append(unread_articles_note(unread))
    if uk and any(ref.law == "GDPR" for ref in refs):
        refs = _unique([ArticleRef("UK-GDPR", *_parts(ref)) if ref.law == "GDPR" else ref for ref in refs])
        notes.append("The tracker cites the GDPR; a UK decision after 2020 applies the UK GDPR.")
    return refs, notes


def unread_articles_note(unread: Sequence[str]) -> str:
    """The sentence of a record's notes that keeps the article text an import could not read."""
    return f"{UNREAD_ARTICLES}: {'; '.join(repr(piece) for piece in unread)}."


def unread_articles(notes: str | None) -> str | None:
    """The quoted article text that sentence kept (`'Art. 13 TKG'; '§ 88 TKG'`), if the notes have it."""
    found = _UNREAD_NOTE.search(notes or "")
    return found.group(1) if found else None


def _parts(ref: ArticleRef) -> tuple[str, str | None, str | None]:
    """A reference's article, paragraph and point."""
    return ref.article, ref.paragraph, ref.point


def _currency_note(regulator: Regulator, when: PartialDate, amount: Decimal | None) -> list[str]:
    """Say so when a non-euro country's fine comes in the tracker's euro conversion."""
    if amount is None or regulator.country not in _NON_EURO:
        return []
    adopted = _NON_EURO[regulator.country]
    if adopted is not None and when.start >= adopted:
        return []
    return ["Amount in euros as the tracker converted it; the export lacks the original currency's amount."]
