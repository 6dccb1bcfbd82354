"""`finelog import`: a tracker export into a data set, each row written, skipped or rejected.

Every row ends in exactly one place. A row is skipped when the data set already holds its
decision (the same tracker id, a record imported from the same row, or one that `finelog
validate` would call the same decision: the same facts, nothing telling them apart); rejected,
with its reasons, when it cannot become a valid record; written otherwise. Two rows of one
export with different tracker ids are two decisions by the tracker's own account, so the
second is not skipped as the first (each record keeps its row's tracker id). A written
record that `finelog check` would call a likely duplicate of another (same regulator, party
and amount, a few days apart) is written with a warning naming that record: only a reader
can tell two such fines apart. No file is ever
overwritten: a record is written to a temporary file beside its target and linked into
place only if the target does not exist. An import that cannot go on (the directory cannot
be written, or the caller stops it) ends after the last row it finished, and says why.
"""

from __future__ import annotations

import bisect
import os
import secrets
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from finelog import loader, validation, yamlwriter
from finelog.check import DUPLICATE_WINDOW, likely_same_decision, why_alike
from finelog.entry import Marks, display_path, marks_of, same_decision
from finelog.models import Decision, References
from finelog.trackers import (
    SPECS,
    Mapped,
    Rejected,
    Row,
    Table,
    TrackerSpec,
    decode,
    map_row,
    read_table,
)
from finelog.vocab import Tracker, counted


class Fate(StrEnum):
    """Where a row ended."""

    WRITTEN = "written"
    SKIPPED = "skipped"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Outcome:
    """One row's fate: the record written (or already there), or why there is none."""

    row: int
    line: int
    tracker_id: str | None
    fate: Fate
    id: str | None = None
    path: str | None = None
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def as_dict(self, *, dry_run: bool = False) -> dict[str, object]:
        """The outcome as a line of the JSON report; a dry run's record is one it `would_write`."""
        would = dry_run and self.fate is Fate.WRITTEN
        return {
            "row": self.row,
            "line": self.line,
            "tracker_id": self.tracker_id,
            "fate": "would_write" if would else self.fate.value,
            "id": self.id,
            "path": self.path,
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
        }


class StopImport(Exception):
    """Ends an import after the row just finished (raised by an `on_outcome` callback or a failed write)."""


class Interrupted(StopImport):
    """Ends an import after the row just finished because a signal asked (Ctrl-C, SIGTERM)."""

    def __init__(self, signal_number: int) -> None:
        super().__init__("terminated" if signal_number == signal.SIGTERM else "interrupted")
        self.signal_number = signal_number


@dataclass
class ImportResult:
    """Every row's outcome, what the reader of the data set should know, and why it stopped early."""

    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stopped: str | None = None
    signal_number: int | None = None  # the signal that stopped it, if one did

    def count(self, fate: Fate) -> int:
        """How many rows ended so."""
        return sum(1 for outcome in self.outcomes if outcome.fate is fate)

    def doubtful(self) -> int:
        """How many rows were written with a warning."""
        return sum(1 for outcome in self.outcomes if outcome.warnings)


@dataclass
class _Known:
    """A record in the data set (or written by this import): its id, path and provenance."""

    id: str
    path: str
    provenance: str | None


@dataclass
class DataSet:
    """What the target directory holds, indexed the ways a row can match it."""

    directory: Path
    ids: dict[str, _Known] = field(default_factory=dict)
    tracker_ids: dict[tuple[str, str], _Known] = field(default_factory=dict)  # (references key, id)
    by_facts: dict[str, list[tuple[Marks, _Known]]] = field(default_factory=dict)
    by_regulator: dict[str, list[tuple[date, str, Decision]]] = field(default_factory=dict)
    invalid_files: int = 0

    @classmethod
    def read(cls, directory: Path, today: date) -> DataSet:
        """Index every record under a directory; files that do not validate still hold their ids."""
        data = cls(directory)
        if not directory.is_dir():
            return data
        files, _ = validation.discover([directory])
        for path in files:
            data.ids[path.stem] = _Known(path.stem, display_path(path), None)
        result = validation.load([directory], today)
        data.invalid_files = result.invalid_files
        for item in result.loaded:
            data.add(item.decision, item.path)
        return data

    def add(self, decision: Decision, path: str) -> None:
        """Index one record."""
        known = _Known(decision.id, path, decision.provenance)
        self.ids[decision.id] = known
        for key, tracker_id in (decision.references or References()).model_dump(exclude_none=True).items():
            self.tracker_ids.setdefault((key, tracker_id), known)
        marks = marks_of(decision)
        if marks.identity:
            self.by_facts.setdefault(marks.identity, []).append((marks, known))
        self.index_by_date(decision)

    def same_decisions(self, decision: Decision) -> Iterator[_Known]:
        """The records `finelog validate` would call the same decision as this one."""
        marks = marks_of(decision)
        for other, known in self.by_facts.get(marks.identity, []):
            if same_decision(other, marks):
                yield known

    def index_by_date(self, decision: Decision) -> None:
        """Keep a record among its regulator's, in date order, for the look-alike search."""
        if decision.amount is not None:
            dated = (decision.decision_date.start, decision.id, decision)
            bisect.insort(self.by_regulator.setdefault(decision.regulator, []), dated, key=lambda d: d[:2])

    def look_alikes(self, decision: Decision) -> Iterator[Decision]:
        """The records that `finelog check` would call the same decision as this one."""
        dated = self.by_regulator.get(decision.regulator, [])
        start = decision.decision_date.start
        first = bisect.bisect_left(dated, start - DUPLICATE_WINDOW, key=lambda d: d[0])
        last = bisect.bisect_right(dated, start + DUPLICATE_WINDOW, key=lambda d: d[0])
        for _, _, other in dated[first:last]:
            if other.id != decision.id and likely_same_decision(other, decision):
                yield other


class Importer:
    """Decides each row's fate against a data set, and writes the records (unless a dry run)."""

    def __init__(self, spec: TrackerSpec, data: DataSet, *, dry_run: bool, today: date) -> None:
        self.spec = spec
        self.data = data
        self.dry_run = dry_run
        self.today = today
        self.claimed: dict[str, str] = {}  # record id -> tracker id of the row of this export it holds

    def run(self, table: Table) -> Iterator[Outcome]:
        """Each row's outcome, in row order, the record written before the next row is read."""
        for row in table.rows:
            yield self.one(row)

    def one(self, row: Row) -> Outcome:
        """One row's fate."""
        mapped = map_row(row, self.spec, self.today)
        if isinstance(mapped, Rejected):
            reasons = tuple(mapped.reasons)
            return Outcome(row.number, row.line, mapped.tracker_id, Fate.REJECTED, reasons=reasons)
        return self.place(mapped, row)

    def place(self, mapped: Mapped, row: Row) -> Outcome:
        """Skip the row, write its record under a free id, or say why neither is possible."""
        same = self.already_there(mapped) or self.imported_from_this_row(mapped)
        if same is not None:
            return self.skip(mapped, row, *same)
        target = self.free_id(mapped)
        record = {"id": target or mapped.base_id, **mapped.record}
        decision, problems = self.validate(record)
        alike = None if decision is None else self.same_facts(decision, mapped.tracker_id)
        if isinstance(alike, str):
            return self.reject(mapped, row, alike)
        if alike is not None:
            return self.skip(mapped, row, *alike)
        if target is None:
            taken = " and ".join(self._candidates(mapped))
            return self.reject(mapped, row, f"the ids {taken} are taken by other records")
        if decision is None or problems:
            return self.reject(mapped, row, *problems)
        return self.write(mapped, row, target, record, decision)

    def skip(self, mapped: Mapped, row: Row, known: _Known, reason: str) -> Outcome:
        """The row's decision is already there: nothing to write."""
        self._claim(mapped, known)
        return Outcome(row.number, row.line, mapped.tracker_id, Fate.SKIPPED, known.id, known.path, (reason,))

    def reject(self, mapped: Mapped, row: Row, *reasons: str) -> Outcome:
        """The row cannot be written, for these reasons."""
        return Outcome(row.number, row.line, mapped.tracker_id, Fate.REJECTED, reasons=reasons)

    def write(
        self, mapped: Mapped, row: Row, target: str, record: dict[str, yamlwriter.Value], decision: Decision
    ) -> Outcome:
        """Write the row's record (unless a dry run) and index it, so later rows meet it."""
        path = self.data.directory / f"{target}.yaml"
        if not self.dry_run:
            try:
                write_new(path, yamlwriter.dump(record))
            except FileExistsError:
                return self.reject(mapped, row, f"{path} appeared meanwhile; it is not overwritten")
            except OSError as error:
                raise StopImport(f"cannot write {display_path(path)}: {error.strerror or error}") from None
        shown = display_path(path)
        warnings = self.doubts(decision)
        self.data.add(decision, shown)  # as a re-import will read it
        self._claim(mapped, self.data.ids[target])
        return Outcome(
            row.number, row.line, mapped.tracker_id, Fate.WRITTEN, target, shown, warnings=warnings
        )

    def doubts(self, decision: Decision) -> tuple[str, ...]:
        """What a reader should check before keeping a record: the look-alikes already there."""
        return tuple(
            f"may be the same decision as {other.id} ({why_alike(other, decision)}); see `finelog check`"
            for other in self.data.look_alikes(decision)
        )

    def already_there(self, mapped: Mapped) -> tuple[_Known, str] | None:
        """The record that already has this row's tracker id."""
        if mapped.tracker_id is None:
            return None
        known = self.data.tracker_ids.get((self.spec.reference_key, mapped.tracker_id))
        if known is None:
            return None
        return known, f"{self.spec.reference(mapped.tracker_id)} is already the tracker id of {known.id}"

    def same_facts(self, decision: Decision, tracker_id: str | None) -> tuple[_Known, str] | str | None:
        """The record of the same decision; or why there is none to write although the tracker says so.

        A record that another row of this export (another tracker id) was written as or matched
        is that row's decision, not this one; but a record of this row would not pass
        `finelog validate` beside it, as nothing in either tells them apart.
        """
        taken: _Known | None = None
        for known in self.data.same_decisions(decision):
            claimed = self.claimed.get(known.id)
            if tracker_id is None or claimed is None or claimed == tracker_id:
                return known, f"same regulator, date, amount and entity as {known.id}"
            taken = taken or known
        if taken is None:
            return None
        claimed = self.claimed[taken.id]
        return (
            f"same regulator, date, amount and entity as {taken.id}, which holds "
            f"{self.spec.reference(claimed)} of this export, and nothing in it tells the two apart: "
            f"if they are separate decisions, give it the tracker id of its row "
            f"(`references: {{{self.spec.reference_key}: {claimed}}}`), then import again"
        )

    def _candidates(self, mapped: Mapped) -> tuple[str, str]:
        """The ids a row's record may take: the readable one, then one marked with the tracker id."""
        return mapped.base_id, f"{mapped.base_id}-{mapped.suffix}"

    def imported_from_this_row(self, mapped: Mapped) -> tuple[_Known, str] | None:
        """A record under one of the row's ids whose provenance names this very row."""
        for candidate in self._candidates(mapped):
            known = self.data.ids.get(candidate)
            if known is not None and known.provenance == mapped.record["provenance"]:
                return known, f"already imported from this row as {known.id}"
        return None

    def free_id(self, mapped: Mapped) -> str | None:
        """The first of the row's ids that no file has taken."""
        return next((c for c in self._candidates(mapped) if c not in self.data.ids), None)

    def validate(self, record: dict[str, yamlwriter.Value]) -> tuple[Decision | None, tuple[str, ...]]:
        """The record as a decision, and why it would not pass `finelog validate`, in its words."""
        decision, findings = loader.record_findings(record, self.today)
        return decision, tuple(str(finding) for finding in findings)

    def _claim(self, mapped: Mapped, known: _Known) -> None:
        """Take a row's tracker id as that of the record it was written as or matched."""
        if mapped.tracker_id is None:
            return
        self.claimed.setdefault(known.id, mapped.tracker_id)
        self.data.tracker_ids.setdefault((self.spec.reference_key, mapped.tracker_id), known)


def write_new(path: Path, text: str) -> None:
    """Write a file whole or not at all, and never over an existing one (FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # pragma: no cover - a file system without hard links
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def make_directory(out: Path) -> None:
    """Create the data set directory if need be, or stop the import saying why not."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StopImport(f"cannot create {out}: {error.strerror or error}") from None


def read_export(path: Path, tracker: Tracker) -> Table:
    """The rows of an export file (ExportError if it is not one; OSError if it cannot be read)."""
    return read_table(decode(path.read_bytes()), SPECS[tracker])


def import_export(
    table: Table,
    tracker: Tracker,
    out: Path,
    *,
    dry_run: bool = False,
    today: date | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> ImportResult:
    """Import every row of an export into a data set directory, until the end, a StopImport or Ctrl-C."""
    today = today or date.today()
    data = DataSet.read(out, today)
    result = ImportResult()
    if data.invalid_files:
        result.warnings.append(
            f"{counted(data.invalid_files, 'invalid file')} in {display_path(out)}: their ids "
            "are kept, but the rows are not compared with them (see `finelog validate`)"
        )
    importer = Importer(SPECS[tracker], data, dry_run=dry_run, today=today)
    try:
        if not dry_run:
            make_directory(out)
        for outcome in importer.run(table):
            result.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    except StopImport as stop:
        result.stopped = str(stop)
        result.signal_number = stop.signal_number if isinstance(stop, Interrupted) else None
    except KeyboardInterrupt:  # within a row, which is then not counted; write_new leaves no temporary file
        result.stopped, result.signal_number = "interrupted", signal.SIGINT
    return result
