"""A data set's entries, read through the cache: only new or changed files are parsed."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, field, replace
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from finelog import cache
from finelog.entry import (
    YAML_SUFFIXES,
    Entry,
    Problem,
    Row,
    Rows,
    Values,
    cross_file_problems,
    display_path,
    misnamed_path,
    saved_as_text,
    unreadable_path,
)

Warn = Callable[[str], None]


@dataclass
class Dataset:
    """The valid entries of a data set, every problem found, and where rows are read from."""

    root: Path  # the directory that entries' `file` paths are relative to
    entries: list[Entry] = field(default_factory=list)
    records: list[Entry] = field(default_factory=list)  # every valid file's, before checks across files
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    reused: int = 0  # entries taken from the cache
    parsed: int = 0  # files read and parsed in this run
    stored: cache.Stored | None = None

    @property
    def invalid_files(self) -> int:
        """How many files have at least one problem."""
        return len({problem.path for problem in self.problems})

    def shown(self, entry: Entry) -> str:
        """The path of an entry's file, as problems print it."""
        return display_path(self.root / entry.file)

    def row(self, entry: Entry) -> Row:
        """An entry's full JSON row."""
        if isinstance(entry.row, str):
            return dict(json.loads(entry.row))
        try:
            assert self.stored is not None
            return dict(json.loads(self.stored.blob(entry.row)))
        except (cache.CacheMiss, OSError, ValueError, AssertionError):
            return self._reparsed_row(entry)

    def _reparsed_row(self, entry: Entry) -> Row:
        """The row of an entry whose cached copy is damaged, read from its file again."""
        from finelog import formats, loader

        decision, problems, _ = loader.load_file(self.root / entry.file, date.today())
        if decision is None or problems:
            raise cache.CacheMiss(f"{self.shown(entry)} changed while finelog was reading it")
        with contextlib.suppress(OSError):
            cache.cache_path(self.root).unlink()
        return formats.decision_row(decision)


def bundled_data_dir() -> Path:
    """The data set shipped with finelog: inside the wheel, or at the top of a checkout."""
    packaged = Path(__file__).resolve().parent / "bundled" / "decisions"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "decisions"


class Found(NamedTuple):
    """The YAML files below a directory, those listed there that cannot be read, and records saved as text."""

    files: list[tuple[str, cache.FileKey]]  # `/`-separated path inside the directory, cache key
    unreadable: list[str]  # such as a link that loops or leads nowhere
    misnamed: list[str]  # `x.yaml.txt`: named, never read, never silently skipped

    def problems(self, root: Path) -> list[Problem]:
        """A problem for each path that is listed but not read."""
        unread = [unreadable_path(root / file) for file in self.unreadable]
        return unread + [misnamed_path(root / file) for file in self.misnamed]


def scan(root: Path) -> Found:
    """Every YAML file below a directory, each directory read once however many links lead to it."""
    found = Found([], [], [])
    _scan_directory(os.fspath(root), "", found, set())
    found.files.sort(key=_path_order if any("/" in file for file, _ in found.files) else itemgetter(0))
    found.unreadable.sort()
    found.misnamed.sort()
    return found


_STAT_IN_DIRECTORY = os.stat in os.supports_dir_fd and os.scandir in os.supports_fd


def _scan_directory(directory: str, prefix: str, found: Found, seen: set[tuple[int, int]]) -> None:
    """Add the YAML files of one directory and its subdirectories to `found`, unless already `seen`.

    Where the system allows, each file is looked up by name in its open directory, which
    is a fifth faster than by path at 30,000 files.
    """
    try:
        handle = os.open(directory, os.O_RDONLY) if _STAT_IN_DIRECTORY else None
    except OSError:  # a folder we may not read: named, and the rest still read
        _name_unreadable_folder(prefix, found)
        return
    try:
        itself = os.stat(directory) if handle is None else os.fstat(handle)
        if (itself.st_dev, itself.st_ino) in seen:  # a link back up, or a second way to the same one
            return
        seen.add((itself.st_dev, itself.st_ino))
        try:
            items = _listing(directory if handle is None else handle)
        except OSError:
            _name_unreadable_folder(prefix, found)
            return
        for name in _real_first([name for name, is_directory in items if is_directory], directory):
            _scan_directory(os.path.join(directory, name), f"{prefix}{name}/", found, seen)
        for name, is_directory in items:
            if not is_directory and name.lower().endswith(YAML_SUFFIXES):  # `.YAML` too
                try:  # not a `with suppress()`: entering one per file costs a tenth of the scan
                    status = (
                        os.stat(os.path.join(directory, name))
                        if handle is None
                        else os.stat(name, dir_fd=handle)
                    )
                except OSError:  # a link that loops or leads nowhere, unless removed since listed
                    if os.path.lexists(os.path.join(directory, name)):
                        found.unreadable.append(prefix + name)
                    continue
                if stat.S_ISREG(status.st_mode):
                    found.files.append((prefix + name, cache.file_key(status)))
            elif not is_directory and saved_as_text(name):
                found.misnamed.append(prefix + name)
    finally:
        if handle is not None:
            os.close(handle)


def _name_unreadable_folder(prefix: str, found: Found) -> None:
    """Note a folder that cannot be opened or listed (`""` is the folder scanned itself)."""
    found.unreadable.append(prefix.rstrip("/"))


def _real_first(names: list[str], directory: str) -> list[str]:
    """Subdirectories in name order, links last: a directory reached both ways is read as itself."""
    return sorted(names, key=lambda name: (os.path.islink(os.path.join(directory, name)), name))


def _listing(directory: str | int) -> list[tuple[str, bool]]:
    """Each name in a directory, and whether it is a directory or a link to one."""
    with os.scandir(directory) as listing:
        try:
            return [(item.name, item.is_dir()) for item in listing]
        except OSError:  # a link that loops: list again, name by name
            pass
    with os.scandir(directory) as listing:
        return [(item.name, _is_directory(item)) for item in listing]


def _is_directory(item: os.DirEntry[str]) -> bool:
    """Whether a listed name is a directory or a link to one (a link that loops is not)."""
    try:
        return item.is_dir()
    except OSError:
        return False


def _path_order(pair: tuple[str, cache.FileKey]) -> list[str]:
    """Sort paths part by part, as pathlib does."""
    return pair[0].split("/")


def load(
    root: Path, *, use_cache: bool = True, today: date | None = None, warn: Warn | None = None
) -> Dataset:
    """Every decision under a directory (or in one file), reusing cached entries of unchanged files."""
    if not root.is_dir():
        return _uncached(root, today)
    dataset = Dataset(root)
    stored = _read_cache(root) if use_cache else None
    dataset.stored = stored
    found = scan(root)  # a folder that cannot be read, this one too, comes back unreadable
    files, unread = found.files, found.problems(root)
    dataset.problems.extend(unread)
    hits = _cache_hits(stored, files)
    dataset.files, dataset.reused = len(files) + len(unread), len(hits)
    keep: Kept = []
    if stored is not None and len(hits) == len(files) == len(stored.files):  # nothing changed
        unchanged = True
        table = stored.table
        dataset.entries = [Entry(table, at) for at in hits.values()]
    else:
        outcomes = parse_files(root, [file for file, _ in files if file not in hits], today or date.today())
        keep = _kept(files, stored, hits, outcomes, dataset.problems)
        dataset.parsed = len(outcomes)
        dataset.entries = [entry for _, entry in keep]
        unchanged = stored is not None and len(hits) == len(keep) == len(stored.files)
    if unchanged and stored is not None:
        relative = [Problem(*problem) for problem in stored.problems]
    else:
        relative = list(cross_file_problems(dataset.entries, _marked_file))
    dataset.problems.extend(_displayed(root, problem) for problem in relative)
    dataset.records = dataset.entries
    crossed = {_unmarked(problem.path) for problem in relative}  # a file with problems has no entry
    if crossed:
        dataset.entries = [entry for entry in dataset.entries if entry.file not in crossed]
    dataset.problems.sort()
    if use_cache and not unchanged:
        _write_cache(dataset, keep, [astuple(problem) for problem in relative], warn or _warn)
    return dataset


Kept = list[tuple[cache.FileKey | None, Entry]]
_FILE_MARK = "\0"  # around a path inside a data set, in problems cached: no file name holds it
_MARKED = re.compile(f"{_FILE_MARK}([^{_FILE_MARK}]*){_FILE_MARK}")


def _marked_file(entry: Entry) -> str:
    """An entry's file as cached problems name it: inside the data set, marked to be shown from here."""
    return f"{_FILE_MARK}{entry.file}{_FILE_MARK}"


def _unmarked(text: str) -> str:
    """A marked path as it is inside the data set."""
    return text.strip(_FILE_MARK)


def _displayed(root: Path, problem: Problem) -> Problem:
    """A cached problem with every file it names shown from here, as validate shows them."""
    message = _MARKED.sub(lambda found: display_path(root / found[1]), problem.message)
    return replace(problem, path=display_path(root / _unmarked(problem.path)), message=message)


def _cache_hits(stored: cache.Stored | None, files: list[tuple[str, cache.FileKey]]) -> dict[str, int]:
    """Where the cache holds the entry of each file unchanged since the cache was written."""
    if stored is None:
        return {}
    positions, keys = stored.positions(), stored.keys
    return {file: at for file, key in files if (at := positions.get(file)) is not None and keys[at] == key}


def _kept(
    files: list[tuple[str, cache.FileKey]],
    stored: cache.Stored | None,
    hits: dict[str, int],
    outcomes: dict[str, Outcome],
    problems: list[Problem],
) -> Kept:
    """Each valid file's key (None if too recent to trust) and entry, in file order; problems noted."""
    now = time.time_ns()
    keep: Kept = []
    cached = stored.table if stored is not None else Rows([])
    parsed: list[Values] = []
    table = Rows(parsed)
    for file, key in files:
        at = hits.get(file)
        if at is not None:
            keep.append((key, Entry(cached, at)))
            continue
        values, found = outcomes[file]
        problems.extend(found)
        if values is not None:
            keep.append((cache.trusted_key(key, now), Entry(table, len(parsed))))
            parsed.append(values)
    return keep


def _uncached(path: Path, today: date | None) -> Dataset:
    """A single file (its directory is the data set's root), or a path that is not one."""
    dataset = Dataset(path.parent)
    if not path.is_file():
        dataset.problems.append(unreadable_path(path))
        return dataset
    dataset.files = dataset.parsed = 1
    values, problems = parse_one(path, path.name, today or date.today())
    dataset.problems.extend(problems)
    if values is not None:
        dataset.entries = dataset.records = [Entry.of(values)]
        dataset.problems.extend(cross_file_problems(dataset.entries, dataset.shown))
    return dataset


Outcome = tuple[Values | None, list[Problem]]
PARALLEL_FROM = 200  # below this many files to parse, starting workers costs more than it saves


def parse_files(root: Path, files: list[str], today: date) -> dict[str, Outcome]:
    """Parse files, on every core the process may use when there are many."""
    workers = _workers(len(files))
    if workers < 2:
        return dict(_parse_chunk(root, files, today))
    import multiprocessing

    from finelog import entry, formats, loader, money  # noqa: F401 - imported once, before the fork

    money.ecb_currencies()  # the rate tables too
    size = -(-len(files) // (workers * 4))
    chunks = [(root, files[start : start + size], today) for start in range(0, len(files), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.starmap(_parse_chunk, chunks)
    return {file: outcome for part in parts for file, outcome in part}


def _workers(count: int) -> int:
    """How many processes to parse `count` files with: one, unless there are many and fork is safe."""
    if count < PARALLEL_FROM or sys.platform != "linux":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 8, count // (PARALLEL_FROM // 2)))


def _parse_chunk(root: Path, files: list[str], today: date) -> list[tuple[str, Outcome]]:
    """Parse a run of files in one process."""
    return [(file, parse_one(root / file, file, today)) for file in files]


def parse_one(path: Path, file: str, today: date) -> Outcome:
    """Read, validate and describe one file: its entry's values if valid, and its problems."""
    from finelog import loader
    from finelog.entry import row_json, values_of

    decision, problems, document = loader.load_file(path, today)
    if decision is None or document is None or problems:
        return None, problems
    return values_of(decision, document, file, row_json(decision)), problems


def _read_cache(root: Path) -> cache.Stored | None:
    """The data set's cache, or None when there is none that can be used."""
    try:
        return cache.read(root)
    except cache.CacheMiss:
        return None


def _write_cache(
    dataset: Dataset, keep: Kept, problems: list[tuple[str, int, int, str, str]], warn: Warn
) -> None:
    """Write the cache anew; failing to write it only costs speed next time."""

    def items() -> Iterator[tuple[cache.FileKey | None, Entry, bytes]]:
        for key, entry in keep:
            if isinstance(entry.row, str):
                yield key, entry, entry.row.encode()
            else:
                assert dataset.stored is not None
                yield key, entry, dataset.stored.blob(entry.row)

    try:
        cache.write(dataset.root, items(), problems)
    except (OSError, cache.CacheMiss) as error:
        reason = getattr(error, "strerror", None) or str(error)
        if isinstance(error, FileExistsError) and not cache.cache_dir().is_dir():
            reason = "it is a file, not a folder"
        warn(f"warning: cannot write the cache in {cache.cache_dir()} ({reason}); "
             "set FINELOG_CACHE_DIR, or FINELOG_NO_CACHE=1 to stop trying")  # fmt: skip


def _warn(message: str) -> None:
    """A warning on stderr."""
    print(f"finelog: {message}", file=sys.stderr)
