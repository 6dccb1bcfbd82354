"""The cache of validated entries: one file per data set, in the user's cache directory.

A file's entry is reused only while the file's size, modification and change times and
inode are those seen when it was read, and only if the file was older than the racy
window then (an edit within the same clock tick could otherwise go unseen). The cache
file names the finelog code, reference data and ECB history it was built with; any
change to those, a bad checksum or an unreadable file make it a miss, never an error.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import sys
import weakref
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Final

from finelog.entry import Entry, Rows, Table, Values

SCHEMA: Final = 6
MAGIC: Final = b"finelog-cache\n"
RACY_WINDOW_NS: int = 2_000_000_000  # coarser than any common file system's time stamps
_HEADER_SIZE_BYTES: Final = 4

FileKey = tuple[int, int, int, int]


class CacheMiss(Exception):
    """The cache cannot be used: absent, from another build, or damaged."""


def cache_dir() -> Path:
    """Where finelog keeps its caches: $FINELOG_CACHE_DIR, else the XDG cache directory."""
    chosen = os.environ.get("FINELOG_CACHE_DIR")
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "finelog"


def cache_path(root: Path) -> Path:
    """The cache file of one data set directory."""
    return cache_dir() / f"data-{short_digest(os.fsencode(os.path.realpath(root)))}.cache"


def short_digest(data: bytes) -> str:
    """A 64-bit name for some bytes, for file names whose contents say in full what they are.

    Two zlib checksums rather than hashlib, whose import loads OpenSSL: 10 ms of every run.
    """
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def file_key(stat: os.stat_result) -> FileKey:
    """What must stay the same for a file's cached entry to be reused."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def trusted_key(key: FileKey, now_ns: int) -> FileKey | None:
    """The file's key, or None when it changed too recently for its time stamps to tell."""
    _, modified, changed, _ = key
    if now_ns - max(modified, changed) < RACY_WINDOW_NS:
        return None
    return key


@cache
def fingerprint() -> str:
    """The build a cache belongs to, in full: finelog's code and reference data, the ECB history, Python."""
    package = Path(__file__).resolve().parent
    parts = [f"schema {SCHEMA}", sys.version, f"marshal {marshal.version}"]
    parts.extend(_stamps(package, ("*.py", "reference/*.yaml")))
    converter = _package_dir("currency_converter")
    if converter is not None:
        parts.extend(_stamps(converter, ("*",)))
    return "\n".join(parts)


def build_id() -> str:
    """A short name for the build, for the names of files built from it."""
    return short_digest(fingerprint().encode())


def _stamps(directory: Path, patterns: Iterable[str]) -> Iterator[str]:
    """Name, size and modification time of the files matching patterns in a directory."""
    for pattern in patterns:
        for path in sorted(directory.glob(pattern)):
            stat = path.stat()
            yield f"{path.relative_to(directory)} {stat.st_size} {stat.st_mtime_ns}"


def _package_dir(name: str) -> Path | None:
    """The directory of an installed package, found on sys.path without importing it."""
    for entry in sys.path:
        candidate = Path(entry or ".") / name
        if (candidate / "__init__.py").is_file():
            return candidate
    return None


class StoredTable(Table):
    """The cached entries' values: each column stays marshalled bytes until a query reads it."""

    __slots__ = ("blobs",)

    def __init__(self, blobs: Sequence[bytes]) -> None:
        super().__init__()
        self.blobs = blobs

    def build(self, index: int) -> Sequence[Any]:
        """Unmarshal one column."""
        column = marshal.loads(self.blobs[index])
        if not isinstance(column, tuple):
            raise CacheMiss("a column of another shape")  # the index's checksum makes this unlikely
        return column


@dataclass
class Stored:
    """One data set's cache as read: each file's key and entry, and the file to read rows from."""

    files: tuple[str, ...] = ()
    keys: tuple[FileKey | None, ...] = ()
    table: Table = field(default_factory=lambda: Rows([]))
    problems: tuple[tuple[str, int, int, str, str], ...] = ()  # cross-file problems, file inside the root
    handle: BinaryIO | None = None
    blob_base: int = 0

    def __post_init__(self) -> None:
        if self.handle is not None:
            weakref.finalize(self, self.handle.close)

    def positions(self) -> dict[str, int]:
        """Where each file's key and entry are."""
        return dict(zip(self.files, range(len(self.files)), strict=True))

    def blob(self, where: tuple[int, int, int]) -> bytes:
        """A row's JSON bytes, checked against its checksum."""
        offset, size, crc = where
        if self.handle is None:
            raise CacheMiss("the cache file is closed")
        data = os.pread(self.handle.fileno(), size, self.blob_base + offset)
        if len(data) != size or zlib.crc32(data) != crc:
            raise CacheMiss("a cached row is damaged")
        return data


def read(root: Path) -> Stored:
    """The cache of a data set directory, or CacheMiss."""
    path = cache_path(root)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise CacheMiss(str(error)) from None
    try:
        return _parse(path, handle, root)
    except CacheMiss:
        handle.close()
        raise
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError) as error:
        handle.close()
        raise CacheMiss(f"unreadable cache: {error}") from None


def _parse(path: Path, handle: BinaryIO, root: Path) -> Stored:
    """Check the header, then load the index: files, keys, a marshalled column per field, problems."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise CacheMiss("not a finelog cache")
    header_size = int.from_bytes(handle.read(_HEADER_SIZE_BYTES), "big")
    header = marshal.loads(handle.read(header_size))
    if not isinstance(header, dict) or header.get("fingerprint") != fingerprint():
        raise CacheMiss("built by another finelog, Python or ECB history")
    if header.get("root") != os.path.realpath(root):
        raise CacheMiss("belongs to another data set")
    raw = handle.read(header["index_size"])
    if len(raw) != header["index_size"] or zlib.crc32(raw) != header["index_crc"]:
        raise CacheMiss("damaged index")
    files, keys, blobs, problems = marshal.loads(raw)
    if len(blobs) != len(Values._fields) or len(keys) != len(files):
        raise CacheMiss("an index of another shape")
    base = len(MAGIC) + _HEADER_SIZE_BYTES + header_size + len(raw)
    return Stored(files, keys, StoredTable(blobs), problems, handle=handle, blob_base=base)


def write(
    root: Path,
    items: Iterable[tuple[FileKey | None, Entry, bytes]],
    problems: Iterable[tuple[str, int, int, str, str]] = (),
) -> Path:
    """Write a data set's cache atomically: a reader sees the old file or the new one, whole.

    The index holds each field's column marshalled on its own, so that a run unmarshals
    only the columns it reads; `problems` are the cross-file problems of exactly these entries.
    """
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    import tempfile

    keys: list[FileKey | None] = []
    entries: list[Entry] = []
    places: list[tuple[int, int, int]] = []
    with tempfile.TemporaryFile() as blobs:
        offset = 0
        for key, entry, row in items:
            blobs.write(row)
            keys.append(key)
            entries.append(entry)
            places.append((offset, len(row), zlib.crc32(row)))
            offset += len(row)
        columns = [_column_of(entries, index) for index in range(len(Values._fields))]
        columns[Values._fields.index("row")] = tuple(places)
        files = columns[Values._fields.index("file")]
        raw = marshal.dumps((files, tuple(keys), tuple(marshal.dumps(c) for c in columns), tuple(problems)))
        header = marshal.dumps(
            {
                "fingerprint": fingerprint(),
                "root": os.path.realpath(root),
                "index_size": len(raw),
                "index_crc": zlib.crc32(raw),
            }
        )
        blobs.seek(0)
        rest = iter(lambda: blobs.read(1 << 20), b"")
        head = [MAGIC, len(header).to_bytes(_HEADER_SIZE_BYTES, "big"), header, raw]
        return _replace_atomically(cache_path(root), itertools.chain(head, rest))


def _column_of(entries: list[Entry], index: int) -> tuple[Any, ...]:
    """One field's values over entries that may come from several tables."""
    return tuple(entry.table.column(index)[entry.at] for entry in entries)


def _replace_atomically(target: Path, chunks: Iterable[bytes]) -> Path:
    """Write chunks to a temporary file beside target, then rename it over target."""
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".cache")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.writelines(chunks)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def write_atomically(target: Path, data: bytes) -> Path:
    """Write bytes to a file in the cache directory so that no reader sees half of them."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return _replace_atomically(target, [data])


def clear() -> list[Path]:
    """Remove every finelog cache file; the files removed."""
    removed = []
    directory = cache_dir()
    if not directory.is_dir():
        return []
    patterns = ("*.cache", "*.rates", ".tmp-*")
    for path in sorted(path for pattern in patterns for path in directory.glob(pattern)):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
