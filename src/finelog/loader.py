"""YAML files to validated decisions, with every problem as `path:line:col: field: message`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from finelog import strictyaml
from finelog.dataset import bundled_data_dir, scan
from finelog.entry import Entry, Problem, cross_file_problems, display_path, entry_of, unreadable_path
from finelog.models import Decision, consistency_problems
from finelog.strictyaml import Document, Loc

__all__ = ["LoadResult", "Problem", "bundled_data_dir", "discover", "display_path", "load"]


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


@dataclass
class Loaded:
    """A decision that validated, with the file it came from and the positions of its keys."""

    decision: Decision
    path: str
    document: Document


def field_name(loc: Loc) -> str:
    """`('events', 0, 'kind')` as `events[0].kind`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(record)"


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files named or found below the directories named, each once, in a stable order."""
    named = list(paths)
    files: list[Path] = []
    problems: list[Problem] = []
    for path in named:
        if path.is_dir():
            found = scan(path)
            files.extend(path / file for file, _ in found.files)
            problems.extend(unreadable_path(path / file) for file in found.unreadable)
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
    from finelog import dataset

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


def load_file(path: Path, today: date) -> tuple[Decision | None, list[Problem], Document | None]:
    """One file to one decision, or the problems that stop it."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(shown, 1, 1, "file", error.strerror or str(error))], None
    try:
        document = strictyaml.read(strictyaml.decode(raw))
    except strictyaml.YamlSyntaxError as error:
        return (
            None,
            [Problem(shown, error.mark.line, error.mark.column, "yaml", error.message)],
            None,
        )
    problems = [
        Problem(shown, issue.mark.line, issue.mark.column, field_name(issue.loc), issue.message)
        for issue in document.issues
    ]
    if not document.whole:  # an alias stood for a value not read: the record is not all there to check
        return None, problems, document
    if not isinstance(document.data, dict):
        found = "an empty file" if document.data is None else f"a {type(document.data).__name__}"
        problems.append(Problem(shown, 1, 1, "(record)", f"expected a mapping of keys, found {found}"))
        return None, problems, document
    decision, findings = record_findings(document.data, today)
    problems.extend(_placed(document, shown, finding) for finding in findings)
    record_id = document.data.get("id")
    id_failed = any(finding.loc[:1] == ("id",) for finding in findings)
    if isinstance(record_id, str) and not id_failed and record_id.strip() != path.stem:
        message = f"{record_id.strip()!r} differs from the file name {path.stem!r}"
        problems.append(_placed(document, shown, Finding(("id",), message)))
    return decision, problems, document


@dataclass(frozen=True)
class Finding:
    """Something wrong in a record's content: the field, what is wrong, and where to point."""

    loc: Loc
    message: str
    at: Loc | None = None
    key: bool = False

    def __str__(self) -> str:
        """`field: message`, as the importer reports it."""
        return f"{field_name(self.loc)}: {self.message}"


# Valid values for required fields that failed, so that the rules reading none of them still run.
_STAND_INS: Final[dict[str, object]] = {
    "id": "xx-stand-in",
    "regulator": "FR-CNIL",
    "decision_date": "2020",
    "entity": {"name": "stand-in", "role": "unknown"},
    "sector": "not_assigned",
    "kind": "reprimand",
    "articles": [],
    "violation_types": ["unknown"],
    "summary": "stand-in",
    "sources": [{"url": "https://example.org", "kind": "tracker"}],
}


def record_findings(data: object, today: date) -> tuple[Decision | None, list[Finding]]:
    """A record's data validated, and what is wrong with it: its fields, then rules across them."""
    try:
        decision = Decision.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
        failed = {str(detail["loc"][0]) for detail in details if detail["loc"]}
        return None, [_schema_finding(detail) for detail in details] + _rules_despite(data, failed, today)
    return decision, [Finding(loc, message) for loc, message in consistency_problems(decision, today)]


def _rules_despite(data: object, failed: set[str], today: date) -> list[Finding]:
    """The rules across fields that read none of the fields that failed, and what they find."""
    if not isinstance(data, dict):
        return []
    kept = {key: value for key, value in data.items() if key not in failed}
    stand_ins = {key: value for key, value in _STAND_INS.items() if key in failed}
    try:
        decision = Decision.model_validate(kept | stand_ins)
    except ValidationError:  # pragma: no cover - every field that failed was replaced or dropped
        return []
    return [Finding(loc, message) for loc, message in consistency_problems(decision, today, failed)]


def _placed(document: Document, shown: str, finding: Finding) -> Problem:
    """A finding at its line and column in the file."""
    where = finding.loc if finding.at is None else finding.at
    mark = document.mark_of(where, key=finding.key)
    return Problem(shown, mark.line, mark.column, field_name(finding.loc), finding.message)


def _schema_finding(detail: ErrorDetails) -> Finding:
    """A Pydantic error in words a contributor can act on."""
    loc: Loc = tuple(part for part in detail["loc"] if isinstance(part, (str, int)))
    kind = detail["type"]
    if kind == "extra_forbidden":
        return Finding(loc, _unknown_key(loc), key=True)
    if kind == "missing":
        return Finding(loc, "required key is missing", at=loc[:-1])
    message = detail["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
        message = "ids are lower-case words joined by hyphens, e.g. fr-cnil-2022-clearview-ai"
    return Finding(loc, message)


def _unknown_key(loc: Loc) -> str:
    """Say that a key is not part of the format, suggesting the one meant."""
    key = str(loc[-1])
    known = _known_keys(loc[:-1])
    import difflib  # only a misspelt key needs it

    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {key!r}{hint}"


def _known_keys(parent: Loc) -> list[str]:
    """The keys the format allows at a location."""
    model: type[BaseModel] = Decision
    for part in parent:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        inner = _model_of(info.annotation) if info else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_of(annotation: object) -> type[BaseModel] | None:
    """The Pydantic model inside an annotation such as `list[Event]` or `Links | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
