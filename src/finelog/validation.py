"""The named files and folders, validated and cross-checked against the data set they belong to."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from finelog import dataset
from finelog.entry import Entry, Problem, cross_file_problems, display_path, entry_of, unreadable_path
from finelog.loader import Loaded, load_file
from finelog.models import Decision


@dataclass
class LoadResult:
    """The decisions that validated, and every problem found."""

    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    loaded: list[Loaded] = field(default_factory=list)

    @property
    def invalid_files(self) -> int:
        """How many files have at least one problem."""
        return len({problem.path for problem in self.problems})


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files named or found below the directories named, each once, in a stable order."""
    named = list(paths)
    files: list[Path] = []
    problems: list[Problem] = []
    for path in named:
        if path.is_dir():
            found = dataset.scan(path)
            files.extend(path / file for file, _ in found.files)
            problems.extend(found.problems(path))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(unreadable_path(path))
    if len(named) > 1:  # a file named twice, or inside a folder also named, is still one file
        return _each_once(files), list(dict.fromkeys(problems))
    return files, problems


def _each_once(files: list[Path]) -> list[Path]:
    """Files in order, leaving out any that is one already listed by another way."""
    first: dict[str, Path] = {}
    for file in files:
        first.setdefault(os.path.realpath(file), file)
    return list(first.values())


def load(
    paths: Iterable[Path], today: date | None = None, *, data: Path | None = None, use_cache: bool = True
) -> LoadResult:
    """Read, validate and cross-check every decision file under the paths given.

    Links, ids and tracker ids are checked against the other records of the data set too:
    `data`, else the folder of each file named. Only the files under `paths` are reported on.
    """
    named = list(paths)
    files, problems = discover(named)
    result = LoadResult(problems=problems, files=len(files) + len(problems))
    loaded: list[tuple[Loaded, Entry]] = []
    for path in files:
        decision, file_problems, document = load_file(path, today or date.today())
        result.problems.extend(file_problems)
        if decision is not None and document is not None and not file_problems:
            shown = display_path(path)
            loaded.append((Loaded(decision, shown, document), entry_of(decision, document, shown)))
    roots = [data] if data is not None else [path.parent for path in named if not path.is_dir()]
    others = _other_records(roots, files, use_cache)
    ours = {entry.file for _, entry in loaded}
    crossed = cross_file_problems([*others, *(entry for _, entry in loaded)], lambda e: e.file)
    result.problems.extend(problem for problem in crossed if problem.path in ours)
    bad = {problem.path for problem in result.problems}
    result.loaded = [item for item, _ in loaded if item.path not in bad]
    result.decisions = [item.decision for item in result.loaded]
    result.problems.sort()
    return result


def _other_records(roots: list[Path], files: list[Path], use_cache: bool) -> list[Entry]:
    """The valid records of the data sets at roots (through the cache), but for the files being validated."""
    validated = {os.path.realpath(file) for file in files}
    stems = {file.stem for file in files}
    others: list[Entry] = []
    for root in dict.fromkeys(os.path.realpath(root) for root in roots):
        found = dataset.load(Path(root), use_cache=use_cache, warn=lambda message: None)
        for entry in found.records:
            path = found.root / entry.file
            if path.stem in stems and os.path.realpath(path) in validated:
                continue
            others.append(Entry.of(entry.values()._replace(file=display_path(path))))
    return others
