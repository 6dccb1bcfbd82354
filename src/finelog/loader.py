"""YAML files to validated decisions, with every problem as `path:line:col: field: message`."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from finelog import strictyaml
from finelog.models import Decision, consistency_problems
from finelog.registry import normalise
from finelog.strictyaml import Document, Loc, Mark

YAML_SUFFIXES = (".yaml", ".yml")


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


class InvalidData(Exception):
    """The data set has problems; the caller decides whether to stop."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


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


def bundled_data_dir() -> Path:
    """The data set shipped with finelog: inside the wheel, or at the top of a checkout."""
    packaged = Path(str(resources.files("finelog"))) / "bundled" / "decisions"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "decisions"


def display_path(path: Path) -> str:
    """A path as short as it can be while still leading to the file from here."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return relative if not relative.startswith("..") else str(path)


def field_name(loc: Loc) -> str:
    """`('events', 0, 'kind')` as `events[0].kind`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(record)"


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files named or found below the directories named, in a stable order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(display_path(path), 1, 1, "file", "no such file or directory"))
    return files, problems


def load(paths: Iterable[Path], today: date | None = None) -> LoadResult:
    """Read, validate and cross-check every decision file under the paths given."""
    files, problems = discover(paths)
    result = LoadResult(problems=problems, files=len(files) + len(problems))
    loaded: list[Loaded] = []
    for path in files:
        decision, file_problems, document = load_file(path, today or date.today())
        result.problems.extend(file_problems)
        if decision is not None and document is not None and not file_problems:
            loaded.append(Loaded(decision, display_path(path), document))
    result.problems.extend(cross_file_problems(loaded))
    bad = {problem.path for problem in result.problems}
    result.loaded = [item for item in loaded if item.path not in bad]
    result.decisions = [item.decision for item in result.loaded]
    result.problems.sort()
    return result


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
    problems = [_problem(shown, issue.mark, issue.loc, issue.message) for issue in document.issues]
    if not isinstance(document.data, dict):
        found = "an empty file" if document.data is None else f"a {type(document.data).__name__}"
        problems.append(Problem(shown, 1, 1, "(record)", f"expected a mapping of keys, found {found}"))
        return None, problems, document
    decision = _validate(document, shown, problems)
    if decision is None:
        return None, problems, document
    problems.extend(_record_problems(decision, path, document, shown, today))
    return decision, problems, document


def _validate(document: Document, shown: str, problems: list[Problem]) -> Decision | None:
    """Pydantic validation, its errors placed at the key or value at fault."""
    try:
        return Decision.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            problems.append(_pydantic_problem(document, shown, detail))
        return None


def _record_problems(
    decision: Decision, path: Path, document: Document, shown: str, today: date
) -> Iterator[Problem]:
    """Rules beyond single fields: the id matches the file, dates and amounts agree."""
    if decision.id != path.stem:
        mark = document.mark_of(("id",))
        yield Problem(
            shown,
            mark.line,
            mark.column,
            "id",
            f"{decision.id!r} differs from the file name {path.stem!r}",
        )
    for loc, message in consistency_problems(decision, today):
        yield _problem(shown, document.mark_of(loc), loc, message)


def _problem(shown: str, mark: Mark, loc: Loc, message: str) -> Problem:
    """A problem at a mark."""
    return Problem(shown, mark.line, mark.column, field_name(loc), message)


def _pydantic_problem(document: Document, shown: str, detail: ErrorDetails) -> Problem:
    """A Pydantic error as a problem, in words a contributor can act on."""
    loc: Loc = tuple(part for part in detail["loc"] if isinstance(part, (str, int)))
    kind = detail["type"]
    if kind == "extra_forbidden":
        return _problem(shown, document.mark_of(loc, key=True), loc, _unknown_key(loc))
    if kind == "missing":
        return _problem(shown, document.mark_of(loc[:-1]), loc, "required key is missing")
    message = detail["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
        message = "ids are lower-case words joined by hyphens, e.g. fr-cnil-2022-clearview-ai"
    return _problem(shown, document.mark_of(loc), loc, message)


def _unknown_key(loc: Loc) -> str:
    """Say that a key is not part of the format, suggesting the one meant."""
    key = str(loc[-1])
    known = _known_keys(loc[:-1])
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


def cross_file_problems(loaded: list[Loaded]) -> Iterator[Problem]:
    """Duplicate ids, dangling links and the same decision recorded twice."""
    by_id: dict[str, Loaded] = {}
    by_facts: dict[tuple[str, ...], Loaded] = {}
    by_etid: dict[str, Loaded] = {}
    for item in loaded:
        decision = item.decision
        first = by_id.setdefault(decision.id, item)
        if first is not item:
            yield _at(item, ("id",), f"duplicate id: {decision.id!r} is also in {first.path}")
            continue
        facts = _identity(decision)
        twin = by_facts.setdefault(facts, item) if facts else item
        if twin is not item:
            yield _at(item, ("entity", "name"), f"the same decision as {twin.decision.id} ({twin.path})")
        etid = decision.references.etid if decision.references else None
        other = by_etid.setdefault(etid, item) if etid else item
        if other is not item:
            yield _at(
                item,
                ("references", "etid"),
                f"{etid} is also the tracker id of {other.decision.id}",
            )
    for item in loaded:
        links = item.decision.links
        for name in ("enforces", "replaces"):
            target = getattr(links, name, None) if links else None
            if target and target not in by_id:
                yield _at(item, ("links", name), f"links to {target!r}, which is not in the data set")


def _identity(decision: Decision) -> tuple[str, ...]:
    """What makes two records the same decision: authority, date, party, kind and amount."""
    if decision.entity.name is None or decision.amount is None:
        return ()
    return (
        decision.regulator,
        str(decision.decision_date),
        normalise(decision.entity.name),
        decision.kind.value,
        str(decision.amount),
    )


def _at(item: Loaded, loc: Loc, message: str) -> Problem:
    """A cross-file problem at a field of a loaded file."""
    return _problem(item.path, item.document.mark_of(loc), loc, message)
