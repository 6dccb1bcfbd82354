"""What queries and output need of one valid decision, in plain values that cache cheaply."""

from __future__ import annotations

import errno
import functools
import json
import os
import struct
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Generic, NamedTuple, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from finelog.models import Decision
    from finelog.strictyaml import Document

Row = dict[str, Any]
YAML_SUFFIXES: Final = (".yaml", ".yml")  # in any case: `x.YAML` is read, never silently skipped
SAVED_AS_TEXT: Final = tuple(suffix + ".txt" for suffix in YAML_SUFFIXES)  # `x.yaml.txt`, in any case

# Vocabulary values are interned, so that the cache stores each once and loads it shared.
# The fields a cross-file problem points at, in the order of Entry.marks.
MARKED_FIELDS: Final[tuple[tuple[str, ...], ...]] = (
    ("id",),
    ("entity", "name"),
    ("references", "etid"),
    ("references", "privacyaffairs"),
    ("links", "enforces"),
    ("links", "replaces"),
)


_MARK: Final = struct.Struct("<II")  # one (line, column)
_MARKS: Final = struct.Struct(f"<{2 * len(MARKED_FIELDS)}I")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, where an editor can jump to it."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON object."""
        return asdict(self)


class Values(NamedTuple):
    """Everything queries and output need of one valid decision; every value is marshal-friendly."""

    id: str
    file: str  # its path inside the data set, with `/` separators
    regulator: str
    country: str
    start: str  # ISO date: the first day the decision date may stand for
    end: str  # ISO date: the last such day
    precision: str
    imposed_eur: str | None  # Decimal text
    standing_eur: str | None
    affected: int | None
    sector: str
    role: str
    status: str
    kind: str
    violation_types: tuple[str, ...]
    articles: tuple[str, ...]  # canonical references, `Art. 5(1)(f) GDPR`
    laws: tuple[str, ...]
    entity: str | None
    description: str | None
    group: str | None
    case_number: str | None
    etid: str | None
    privacyaffairs: str | None  # the PrivacyAffairs tracker's id of the row it was imported from
    enforces: str | None
    replaces: str | None
    identity: str  # the facts two records of one decision share, as one text; empty when unknown
    authority_sources: tuple[str, ...]  # its `kind: authority` source URLs, as `url_key` gives them
    marks: bytes  # (line, column) of each of MARKED_FIELDS, packed: one object to cache, not eleven
    row: str | tuple[int, int, int]  # the JSON row, or where the cache holds it (offset, size, crc)


T = TypeVar("T")


class Table:
    """Entries' values column by column; a column is built (or loaded) the first time it is read.

    A warm run reads only the columns its query touches: ranking 30,000 cached decisions
    by amount loads two of the 29.
    """

    __slots__ = ("columns", "converted")

    def __init__(self) -> None:
        self.columns: list[Sequence[Any] | None] = [None] * len(Values._fields)
        self.converted: dict[tuple[int, Callable[[Any], Any]], list[Any]] = {}

    def convert(self, index: int, conversion: Callable[[Any], T]) -> list[T]:
        """One column with each value converted (Decimal text to Decimal), once per table."""
        key = (index, conversion)
        found = self.converted.get(key)
        if found is None:
            found = self.converted[key] = [conversion(value) for value in self.column(index)]
        return found

    def column(self, index: int) -> Sequence[Any]:
        """One field's values, row by row."""
        found = self.columns[index]
        if found is None:
            found = self.columns[index] = self.build(index)
        return found

    def build(self, index: int) -> Sequence[Any]:
        """Make one column (subclasses know where from)."""
        raise NotImplementedError


class Rows(Table):
    """A table over values already in memory, such as freshly parsed entries."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[Values]) -> None:
        super().__init__()
        self.rows = rows

    def build(self, index: int) -> Sequence[Any]:
        """The index-th value of every row."""
        return [row[index] for row in self.rows]


class _Field(Generic[T]):
    """One field of an entry, read from its table's column."""

    __slots__ = ("index",)

    def __set_name__(self, owner: type, name: str) -> None:
        self.index = Values._fields.index(name)

    @overload
    def __get__(self, entry: None, owner: type) -> _Field[T]: ...
    @overload
    def __get__(self, entry: Entry, owner: type) -> T: ...
    def __get__(self, entry: Entry | None, owner: type) -> T | _Field[T]:
        if entry is None:
            return self
        column = entry.table.columns[self.index] or entry.table.column(self.index)
        value: T = column[entry.at]
        return value


class Entry:
    """One valid decision as queries and output see it: a row of a table of values."""

    __slots__ = ("at", "table")

    id = _Field[str]()
    file = _Field[str]()
    regulator = _Field[str]()
    country = _Field[str]()
    start = _Field[str]()
    end = _Field[str]()
    precision = _Field[str]()
    imposed_eur = _Field[str | None]()
    standing_eur = _Field[str | None]()
    affected = _Field[int | None]()
    sector = _Field[str]()
    role = _Field[str]()
    status = _Field[str]()
    kind = _Field[str]()
    violation_types = _Field[tuple[str, ...]]()
    articles = _Field[tuple[str, ...]]()
    laws = _Field[tuple[str, ...]]()
    entity = _Field[str | None]()
    description = _Field[str | None]()
    group = _Field[str | None]()
    case_number = _Field[str | None]()
    etid = _Field[str | None]()
    privacyaffairs = _Field[str | None]()
    enforces = _Field[str | None]()
    replaces = _Field[str | None]()
    identity = _Field[str]()
    authority_sources = _Field[tuple[str, ...]]()
    marks = _Field[bytes]()
    row = _Field[str | tuple[int, int, int]]()

    def __init__(self, table: Table, at: int) -> None:
        self.table = table
        self.at = at

    @classmethod
    def of(cls, values: Values) -> Entry:
        """An entry standing alone."""
        return cls(Rows([values]), 0)

    def values(self) -> Values:
        """All of the entry's values."""
        return Values._make(self.table.column(index)[self.at] for index in range(len(Values._fields)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self.values() == other.values()

    def __hash__(self) -> int:
        return hash(self.values())

    def __repr__(self) -> str:
        return f"Entry({self.id!r}, {self.file!r})"

    @property
    def display(self) -> str:
        """The name, or the description of an unnamed party in brackets."""
        return self.entity if self.entity is not None else f"[unnamed: {self.description}]"


def display_path(path: Path) -> str:
    """A path as short as it can be while still leading to the file from here."""
    folder = _display_folder(os.fspath(path.parent), os.getcwd())
    if folder is None:
        return str(path)
    return path.name if folder == os.curdir else os.path.join(folder, path.name)


def unreadable_path(path: Path) -> Problem:
    """Why a path named, or listed in a folder, is neither a file nor a folder to read."""
    return Problem(display_path(path), 1, 1, "file", _unreadable_because(path))


def saved_as_text(name: str) -> str | None:
    """`x.yaml` for `x.yaml.txt`, a record an editor saved with `.txt` added; None for any other name."""
    return name[: -len(".txt")] if name.lower().endswith(SAVED_AS_TEXT) else None


def misnamed_path(path: Path) -> Problem:
    """Why a record saved as `x.yaml.txt` is left out of its folder, and how to bring it in."""
    message = (
        "the name ends in .txt, so finelog leaves it out of a folder's records (an editor added "
        f"the .txt, which Windows may hide): rename it to {saved_as_text(path.name)}"
    )
    return Problem(display_path(path), 1, 1, "file", message)


def _unreadable_because(path: Path) -> str:
    """What is wrong with a path that is neither a file nor a folder to read."""
    try:
        path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "broken symlink: its target does not exist"
        return "no such file or directory"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symlink loop: too many levels of symbolic links"
        return (error.strerror or str(error)).lower()
    return _access_refused(path) or "not a regular file or folder"


def _access_refused(path: Path) -> str | None:
    """Why a folder or file that exists cannot be opened (no permission, say), if it cannot."""
    try:
        if path.is_dir():
            os.scandir(path).close()
        elif path.is_file():
            path.open("rb").close()
    except OSError as error:
        return (error.strerror or str(error)).lower()
    return None


@functools.lru_cache(maxsize=64)
def _display_folder(folder: str, here: str) -> str | None:
    """A folder relative to `here`, or None when that would climb out of it.

    Computed once per folder: `relpath` for each of 3,000 files was a twentieth of parsing them.
    """
    try:
        relative = os.path.relpath(folder, here)
    except ValueError:  # pragma: no cover - another drive on Windows
        return None
    return None if relative.startswith("..") else relative


def entry_of(decision: Decision, document: Document | None = None, file: str = "", row: str = "") -> Entry:
    """The entry of a validated decision read from `file` (marks at 1:1 without its document)."""
    return Entry.of(values_of(decision, document, file, row))


def values_of(decision: Decision, document: Document | None = None, file: str = "", row: str = "") -> Values:
    """The values of a validated decision's entry.

    `row` is its JSON row (`row_json`), for callers that print it; cross-checks need none.
    """
    when = decision.decision_date
    name = decision.entity
    links = decision.links
    return Values(
        id=decision.id,
        file=file or f"{decision.id}.yaml",
        regulator=sys.intern(decision.regulator),
        country=sys.intern(decision.country),
        start=when.start.isoformat(),
        end=when.end.isoformat(),
        precision=sys.intern(when.precision.value),
        imposed_eur=_text(decision.imposed_eur),
        standing_eur=_text(decision.standing_eur),
        affected=decision.affected,
        sector=sys.intern(decision.sector.value),
        role=sys.intern(name.role.value),
        status=sys.intern(decision.status.value),
        kind=sys.intern(decision.kind.value),
        violation_types=tuple(sys.intern(v.value) for v in decision.violation_types),
        articles=tuple(sys.intern(str(ref)) for ref in decision.articles),
        laws=tuple(sys.intern(law) for law in decision.laws),
        entity=name.name,
        description=name.description,
        group=name.group,
        enforces=links.enforces if links else None,
        replaces=links.replaces if links else None,
        **marks_of(decision)._asdict(),
        marks=_MARKS.pack(*(number for loc in MARKED_FIELDS for number in _line_column(document, loc))),
        row=row,
    )


def row_json(decision: Decision) -> str:
    """A decision's row of the JSON contract, as JSON text."""
    from finelog import formats

    return json.dumps(formats.decision_row(decision), ensure_ascii=False)


def _text(value: object) -> str | None:
    """A Decimal (or None) as text."""
    return None if value is None else str(value)


def _line_column(document: Document | None, loc: tuple[str, ...]) -> tuple[int, int]:
    """Where a field is in its file."""
    if document is None:
        return (1, 1)
    mark = document.mark_of(loc)
    return (mark.line, mark.column)


class Marks(NamedTuple):
    """Whether two records may be one decision: the facts they would share, and what tells them apart."""

    case_number: str | None
    etid: str | None
    privacyaffairs: str | None  # the PrivacyAffairs tracker's id of the row it was imported from
    identity: str
    authority_sources: tuple[str, ...]


class _Marked(Protocol):
    """A record's marks, as an Entry or Marks holds them."""

    @property
    def case_number(self) -> str | None: ...
    @property
    def etid(self) -> str | None: ...
    @property
    def privacyaffairs(self) -> str | None: ...
    @property
    def identity(self) -> str: ...
    @property
    def authority_sources(self) -> tuple[str, ...]: ...


def marks_of(decision: Decision) -> Marks:
    """A decision's marks, without building the rest of its entry."""
    references = decision.references
    return Marks(
        case_number=decision.case_number,
        etid=references.etid if references else None,
        privacyaffairs=references.privacyaffairs if references else None,
        identity=identity(decision),
        authority_sources=_authority_sources(decision),
    )


def _authority_sources(decision: Decision) -> tuple[str, ...]:
    """The URLs of a decision's `kind: authority` sources, as `url_key` gives them."""
    from finelog.vocab import SourceKind  # only records being parsed need it

    return tuple(url_key(source.url) for source in decision.sources if source.kind is SourceKind.AUTHORITY)


def identity(decision: Decision) -> str:
    """The facts two records of one decision share: authority, date, party, kind and amount."""
    from finelog.registry import normalise  # only records being parsed need it

    if decision.entity.name is None or decision.amount is None:
        return ""
    facts = (
        decision.regulator,
        str(decision.decision_date),
        normalise(decision.entity.name),
        decision.kind.value,
        str(decision.amount),
    )
    return "\x1f".join(facts)  # a separator no field can hold


def url_key(url: str) -> str:
    """A URL as sources are compared: no scheme or fragment, the host in lower case, no final `/`."""
    from urllib.parse import urlsplit  # only records being parsed need it

    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}{query}"


def case_key(case_number: str | None) -> str | None:
    """A case number as case numbers are compared: without case or spacing."""
    return None if case_number is None else "".join(case_number.casefold().split())


def same_decision(a: _Marked, b: _Marked) -> bool:
    """Whether two records are one decision: the same facts, and nothing that tells them apart."""
    return bool(a.identity) and a.identity == b.identity and not told_apart(a, b)


def told_apart(a: _Marked, b: _Marked) -> bool:
    """Separate decisions: case numbers or tracker ids differ, or no authority source is shared."""
    return (
        _both_and_differ(case_key(a.case_number), case_key(b.case_number))
        or _both_and_differ(a.etid, b.etid)
        or _both_and_differ(a.privacyaffairs, b.privacyaffairs)
        or _no_source_shared(a.authority_sources, b.authority_sources)
    )


def _both_and_differ(a: str | None, b: str | None) -> bool:
    """Both values are given and they differ."""
    return a is not None and b is not None and a != b


def _no_source_shared(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Both cite authority sources, and none of them is the same."""
    return bool(a and b) and not set(a) & set(b)


def cross_file_problems(entries: Iterable[Entry], shown: Callable[[Entry], str]) -> Iterator[Problem]:
    """Duplicate ids, dangling links and the same decision recorded twice."""
    listed = list(entries)
    by_id: dict[str, Entry] = {}
    by_facts: dict[str, list[Entry]] = {}
    by_tracker_id: dict[tuple[str, str], Entry] = {}
    for entry in listed:
        first = by_id.setdefault(entry.id, entry)
        if first is not entry:
            yield _at(entry, shown, ("id",), f"duplicate id: {entry.id!r} is also in {shown(first)}")
            continue
        twin = _twin(entry, by_facts)
        if twin is not None:
            hint = "give each its case number if they are separate decisions"
            message = f"the same decision as {twin.id} ({shown(twin)}); {hint}"
            yield _at(entry, shown, ("entity", "name"), message)
        for key, noun in _TRACKER_IDS:
            tracker_id = getattr(entry, key)
            other = by_tracker_id.setdefault((key, tracker_id), entry) if tracker_id else entry
            if other is not entry:
                yield _at(entry, shown, ("references", key), f"{tracker_id} is also the {noun} of {other.id}")
    for entry in listed:
        for link, target in (("enforces", entry.enforces), ("replaces", entry.replaces)):
            if target and target not in by_id:
                yield _at(entry, shown, ("links", link), f"links to {target!r}, which is not in the data set")


# The tracker ids a record may hold under `references`, and what a message calls each.
_TRACKER_IDS: Final = (("etid", "tracker id"), ("privacyaffairs", "PrivacyAffairs id"))


def _twin(entry: Entry, by_facts: dict[str, list[Entry]]) -> Entry | None:
    """The first entry seen before that records the same decision; the entry joins those seen."""
    if not entry.identity:
        return None
    seen = by_facts.setdefault(entry.identity, [])
    seen.append(entry)
    return next((other for other in seen[:-1] if same_decision(other, entry)), None)


def _at(entry: Entry, shown: Callable[[Entry], str], marked: tuple[str, ...], message: str) -> Problem:
    """A cross-file problem at one of the marked fields of an entry's file."""
    line, column = _MARK.unpack_from(entry.marks, MARKED_FIELDS.index(marked) * _MARK.size)
    return Problem(shown(entry), line, column, ".".join(marked), message)
