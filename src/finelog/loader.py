"""YAML files to validated decisions, with every problem as `path:line:col: field: message`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from finelog import strictyaml
from finelog.entry import Problem, display_path, misnamed_path, saved_as_text
from finelog.models import (
    CURRENCY_PATTERN,
    ETID_PATTERN,
    ID_PATTERN,
    PRIVACYAFFAIRS_PATTERN,
    URL_PATTERN,
    Decision,
    consistency_problems,
)
from finelog.strictyaml import Document, Loc


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
    intended = saved_as_text(path.name)
    if intended is not None:  # named on its own: read, but the name is the problem
        problems.append(misnamed_path(path))
    stem = Path(intended or path.name).stem
    if isinstance(record_id, str) and not id_failed and record_id.strip() != stem:
        message = f"{record_id.strip()!r} differs from the file name {stem!r}"
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
    return Finding(loc, _schema_message(detail, loc))


# A text that does not match its field's pattern, said as what the field holds.
_PATTERN_MESSAGES: Final[dict[str, str]] = {
    ID_PATTERN: "ids are lower-case words joined by hyphens, e.g. fr-cnil-2022-clearview-ai",
    CURRENCY_PATTERN: "a currency is a three-letter ISO 4217 code in capitals, such as EUR, GBP or NOK",
    URL_PATTERN: "a URL starts with https:// (or http://) and holds no spaces, e.g. https://www.cnil.fr/en/...",
    ETID_PATTERN: "a CMS Enforcement Tracker id is ETid- and its number, e.g. ETid-1448",
    PRIVACYAFFAIRS_PATTERN: "a PrivacyAffairs id is the tracker's row number, in digits, e.g. 202",
}
_WHOLE_NUMBER: Final = "write a whole number in digits, e.g. 46000000 or 46_000_000"
# Other errors by (Pydantic's error type, the field or the kind of value written); `*` is any.
_TYPE_MESSAGES: Final[dict[tuple[str, str], str]] = {
    ("*", "null"): "this key has no value: write one after it",
    ("list_type", "*"): "write a list: [a, b] on the key's line, or one '- item' per line below it",
    ("too_short", "violation_types"): "give at least one violation type: [unknown] when none is known",
    ("too_short", "*"): "the list is empty: give at least one item",
    ("string_type", "bool"): "true and false are yes and no in YAML: put text in quotes, e.g. 'true'",
    ("string_type", "*"): "write text here, not a list or keys",
    ("string_too_short", "*"): "the text is empty: write it, or leave the key out where it is optional",
    ("string_too_long", "*"): "at most {max_length} characters",
    ("int_type", "*"): _WHOLE_NUMBER,
    ("int_parsing", "*"): _WHOLE_NUMBER,
    ("greater_than_equal", "*"): "a count cannot be negative",
    ("model_type", "*"): "write its keys on the lines below it, indented: {keys}",
}


def _schema_message(detail: ErrorDetails, loc: Loc) -> str:
    """What a value must look like, from the tables above, else in Pydantic's words."""
    context = detail.get("ctx", {})
    pattern = context.get("pattern")
    if pattern in _PATTERN_MESSAGES:
        return _PATTERN_MESSAGES[pattern]
    kind, written = detail["type"], _kind_of(detail["input"])
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    for key in ((kind, field), (kind, written), ("*", written), (kind, "*")):
        if key in _TYPE_MESSAGES:
            return _TYPE_MESSAGES[key].format(keys=", ".join(_known_keys(loc)), **context)
    return detail["msg"].removeprefix("Value error, ")


def _kind_of(value: object) -> str:
    """What kind of value YAML gave: null, bool, text, list or mapping."""
    kinds = {type(None): "null", bool: "bool", str: "text", list: "list", dict: "mapping"}
    return kinds.get(type(value), "other")


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
