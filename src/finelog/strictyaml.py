"""Strict YAML reading that keeps the line and column of every key and value."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Final, Protocol, TypeVar, cast

import yaml
import yaml.reader

HAS_LIBYAML: bool
try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAS_LIBYAML = False

Loc = tuple[str | int, ...]
T = TypeVar("T")

MAX_BYTES: Final = 1024 * 1024
MAX_DEPTH: Final = 32
_STANDARD_TAG: Final = "tag:yaml.org,2002:"
_NULLS: Final = {"", "~", "null", "Null", "NULL"}
_BOOLS: Final = {"true": True, "false": False}
# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides and isolates:
# written as escapes in a quoted value, they would recolour, link or reorder what a terminal shows
HIDDEN_CHARACTERS: Final = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"  # a regex [class]
_FORBIDDEN: Final = re.compile(f"[{HIDDEN_CHARACTERS}]")


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column in a text file."""

    line: int
    column: int


@dataclass(frozen=True)
class YamlIssue:
    """A problem found while reading YAML: where, which field, what."""

    mark: Mark
    loc: Loc
    message: str


@dataclass
class Document:
    """Plain Python data read from YAML, with the position of every key and value."""

    data: object
    value_marks: dict[Loc, _YamlMark] = field(default_factory=dict)  # PyYAML's, converted when asked
    key_marks: dict[Loc, _YamlMark] = field(default_factory=dict)
    issues: list[YamlIssue] = field(default_factory=list)
    whole: bool = True  # False when an alias stood for a value, which is then left out of data

    def mark_of(self, loc: Loc, *, key: bool = False) -> Mark:
        """Position of the value (or key) at loc, or of its nearest enclosing value."""
        if key and loc in self.key_marks:
            return _mark(self.key_marks[loc])
        for end in range(len(loc), -1, -1):
            prefix = loc[:end]
            if prefix in self.value_marks:
                return _mark(self.value_marks[prefix])
        return Mark(1, 1)


class YamlSyntaxError(Exception):
    """The text is not YAML that can be read at all."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


if HAS_LIBYAML:
    _Loader = _Parser
else:  # pragma: no cover - exercised only without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser):  # type: ignore[no-redef]
        """The pure-Python parser: events only, never composed into nodes."""

        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)


def decode(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM), raising YamlSyntaxError at the first bad byte."""
    if len(raw) > MAX_BYTES:
        raise YamlSyntaxError(Mark(1, 1), f"file is larger than {MAX_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise YamlSyntaxError(Mark(line, column), "not valid UTF-8 text") from None


@cache
def warn_if_slow() -> None:
    """Say once per run when PyYAML lacks libyaml, rather than be seven times slower in silence."""
    if not HAS_LIBYAML:
        print(
            "finelog: warning: PyYAML has no libyaml here, so YAML is read by its pure-Python "
            "parser, about 7x slower; install a PyYAML wheel built with libyaml",
            file=sys.stderr,
        )


def read(text: str) -> Document:
    """Read YAML text strictly into plain data (dicts, lists, str, bool, None)."""
    warn_if_slow()
    return _parsed(text, _document)


def _parsed(text: str, use: Callable[[_Loader], T]) -> T:
    """What `use` makes of a parser of text, any YAML error raised as YamlSyntaxError."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        raise YamlSyntaxError(_position(text, error.position), _reader_problem(error)) from None
    try:
        return use(loader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    except yaml.reader.ReaderError as error:
        raise YamlSyntaxError(_position(text, error.position), _reader_problem(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(Mark(1, 1), str(error).splitlines()[0]) from None
    finally:
        loader.dispose()


def _document(loader: _Loader) -> Document:
    """The one document of a YAML stream, built from its events, which (unlike nodes) need no deep stack."""
    document = Document(data=None)
    loader.get_event()  # the stream starts
    if loader.check_event(yaml.StreamEndEvent):
        return document
    loader.get_event()  # the document starts
    builder = _Builder(loader, document)
    document.data = builder.node(builder.next_event(), (), 0)
    loader.get_event()  # the document ends
    if not loader.check_event(yaml.StreamEndEvent):
        second = builder.next_event().start_mark
        raise YamlSyntaxError(_mark(second), "a file holds one document, and this one has a second")
    builder.refuse_anchors_and_aliases()
    return document


def _too_deep(mark: _YamlMark | None) -> YamlSyntaxError:
    """The error for a collection inside MAX_DEPTH others."""
    return YamlSyntaxError(_mark(mark), f"nested more than {MAX_DEPTH} levels deep")


class _YamlMark(Protocol):
    """A PyYAML mark, from its Python parser or from libyaml: 0-based."""

    line: int
    column: int


class _Event(Protocol):
    """A PyYAML event, from its Python parser or from libyaml (`tag`, `value`, `style`: some kinds only)."""

    start_mark: _YamlMark
    anchor: str | None
    tag: str | None
    value: str
    style: str | None


def _mark(mark: _YamlMark | None) -> Mark:
    """Convert PyYAML's 0-based mark to a 1-based one."""
    if mark is None:
        return Mark(1, 1)
    return Mark(mark.line + 1, mark.column + 1)


def _position(text: str, offset: int) -> Mark:
    """The line and column of a character offset."""
    before = text[:offset]
    return Mark(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _reader_problem(error: yaml.reader.ReaderError) -> str:
    """Which character the reader refused."""
    character = error.character
    code = character if isinstance(character, int) else ord(character)
    return f"control character U+{code:04X} is not allowed in YAML"


def _describe(error: yaml.MarkedYAMLError) -> str:
    """One line saying what libyaml found wrong, and where the unfinished construct began."""
    context = error.context
    if (
        context
        and error.context_mark is not None
        and error.context_mark.line != getattr(error.problem_mark, "line", None)
    ):
        start = _mark(error.context_mark)
        context = f"{context} started at {start.line}:{start.column},"
    parts = [part for part in (context, error.problem) if part]
    return " ".join(parts) if parts else "invalid YAML"


Explain = Callable[[yaml.MarkedYAMLError, list[str]], tuple[Mark, str] | None]
_LINE_BREAK: Final = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_KEY: Final = r"(?P<key>[^\W\d][\w-]*)"  # a key as records write them: `decision_date`, `etid`
_KEY_LINE: Final = re.compile(rf"(?P<lead>[ ]*(?:-[ ]+)*){_KEY}[ ]*(?P<colon>:)(?:[ \t]|$)")
_GLUED_LINE: Final = re.compile(rf"(?P<lead>[ ]*(?:-[ ]+)*){_KEY}(?P<colon>:)(?P<value>[^\s/].*)")
_TAB: Final = "a tab: YAML indents with spaces; replace the tab with spaces"
_READ_AS_PART: Final = "so YAML reads it as part of that line's value"
_LINE_UP: Final = "the keys of one mapping line up, with the same number of spaces before each"


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> YamlSyntaxError:
    """The parser's error, at the mistake and saying how to fix it where it is a common one."""
    lines = _LINE_BREAK.split(text)
    problem = _mark(error.problem_mark)
    if _character_at(lines, problem) == "\t":
        return YamlSyntaxError(problem, _TAB)
    for start, explain in _EXPLANATIONS:
        if (error.problem or "").startswith(start) and (explained := explain(error, lines)):
            return YamlSyntaxError(*explained)
    return YamlSyntaxError(problem, _describe(error))


def _line(lines: list[str], mark: Mark) -> str:
    """The text of a mark's line, or nothing past the end."""
    return lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""


def _character_at(lines: list[str], mark: Mark) -> str:
    """The character a mark points at, or nothing."""
    return _line(lines, mark)[mark.column - 1 : mark.column]


def _colon_in_plain_text(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Mark, str] | None:
    """A `: ` YAML took for a key's: in a value, below a key missing its space, or indented too far."""
    problem = _mark(error.problem_mark)
    line = _line(lines, problem)
    if (key_line := _KEY_LINE.match(line)) and key_line.start("colon") < problem.column - 1:
        key, value = key_line["key"], line[key_line.end() :].strip()
        return problem, f"the value of {key!r} holds ': ', which YAML reads as a key: {_quote(key, value)}"
    if glued := _glued_above(lines, problem.line):
        return glued
    if key_line and key_line.start("colon") == problem.column - 1:
        where = Mark(problem.line, key_line.start("key") + 1)
        return where, f"{key_line['key']!r} is indented more than the line above, {_READ_AS_PART}: {_LINE_UP}"
    return None


def _quote(key: str, value: str) -> str:
    """How to quote a value: with the value itself where it is short and plain enough to show."""
    shown = value if len(value) <= 60 and value.isprintable() and not set('"\\#') & set(value) else "..."
    return f'put the whole value in double quotes, e.g. {key}: "{shown}"'


def _glued_above(lines: list[str], number: int) -> tuple[Mark, str] | None:
    """A `key:value` without its space on the nearest line above that holds anything but a comment."""
    for above in range(number - 1, 0, -1):
        text = lines[above - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            return _glued(text, above)
    return None


def _glued(text: str, number: int) -> tuple[Mark, str] | None:
    """Where a line writes `key:value` without the space after the colon, and the fix."""
    found = _GLUED_LINE.match(text)
    if found is None:
        return None
    fixed = f"{found['key']}: {found['value'].rstrip()}"
    return Mark(number, found.start("colon") + 1), f"a key needs ': ' (colon and space): write {fixed!r}"


def _key_without_colon(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Mark, str] | None:
    """A line YAML began to read as a key, which has no `: `: it names the line, not the one after."""
    if error.context_mark is None:
        return None
    start = _mark(error.context_mark)
    glued = _glued(_line(lines, start), start.line)
    return glued or (
        start,
        "a key needs ': ' (colon and space) after it; if this line goes on with the value above, indent it",
    )


def _misaligned_key(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[Mark, str] | None:
    """A key YAML did not expect: below a key missing its space, or indented less than the keys above it."""
    problem = _mark(error.problem_mark)
    key_line = _KEY_LINE.match(_line(lines, problem))
    if key_line is None or key_line.start("key") != problem.column - 1:
        return None
    return _glued_above(lines, problem.line) or (
        problem,
        f"{key_line['key']!r} does not line up with the keys above it: {_LINE_UP}",
    )


# Explanations by how the parser's problem starts: libyaml's words, then PyYAML's.
_EXPLANATIONS: Final[list[tuple[str, Explain]]] = [
    ("mapping values are not allowed", _colon_in_plain_text),
    ("could not find expected ':'", _key_without_colon),
    ("did not find expected key", _misaligned_key),
    ("expected <block end>", _misaligned_key),
]


@dataclass
class _Named:
    """An anchor or alias: its name, where it is, and the field it is on."""

    name: str
    mark: _YamlMark
    loc: Loc


class _Builder:
    """Turns a document's events into plain data, recording marks and problems."""

    def __init__(self, loader: _Loader, document: Document) -> None:
        self.next_event = cast(Callable[[], _Event], loader.get_event)
        self.document = document
        self.anchors: dict[str, _Named] = {}
        self.anchor_count = 0
        self.aliases: list[_Named] = []

    def issue(self, mark: _YamlMark, loc: Loc, message: str) -> None:
        """Record a problem at a mark."""
        self.document.issues.append(YamlIssue(_mark(mark), loc, message))

    def node(self, event: _Event, loc: Loc, depth: int) -> object:
        """The value of the node that event begins."""
        self.document.value_marks[loc] = event.start_mark
        if not self.plain(event, loc):
            return None
        kind = _kind(event)
        if kind is yaml.ScalarEvent:
            self.refuse_hidden_characters(event, loc)
            return _scalar(event)
        if depth >= MAX_DEPTH:
            raise _too_deep(event.start_mark)
        if kind is yaml.SequenceStartEvent:
            return self.sequence(loc, depth)
        return self.mapping(loc, depth)

    def plain(self, event: _Event, loc: Loc) -> bool:
        """Note the anchor, alias or tag of a node; False for an alias, whose value is not read."""
        if _kind(event) is yaml.AliasEvent:
            self.aliases.append(_Named(str(event.anchor), event.start_mark, loc))
            return False
        if event.anchor is not None:
            self.anchor_count += 1
            self.anchors.setdefault(event.anchor, _Named(event.anchor, event.start_mark, loc))
        if event.tag is not None:
            self.issue(event.start_mark, loc, f"YAML tags are not allowed: remove {_shown_tag(event.tag)}")
        return True

    def sequence(self, loc: Loc, depth: int) -> list[object]:
        """The items of a sequence, up to its end."""
        items: list[object] = []
        while _kind(event := self.next_event()) is not yaml.SequenceEndEvent:
            items.append(self.node(event, (*loc, len(items)), depth + 1))
        return items

    def mapping(self, loc: Loc, depth: int) -> dict[str, object]:
        """A mapping up to its end, reporting keys that are not plain text, and duplicates."""
        result: dict[str, object] = {}
        while _kind(event := self.next_event()) is not yaml.MappingEndEvent:
            key = self.key(event, loc, depth)
            if key is not None and key in result:
                self.issue(event.start_mark, (*loc, key), f"duplicate key {key!r}")
                key = None
            if key is None:
                self.skip(self.next_event(), depth + 1)
                continue
            self.document.key_marks[(*loc, key)] = event.start_mark
            result[key] = self.node(self.next_event(), (*loc, key), depth + 1)
        return result

    def key(self, event: _Event, loc: Loc, depth: int) -> str | None:
        """The text of a key, or None (reported) if it is not plain text."""
        if _kind(event) is yaml.ScalarEvent and self.plain(event, loc):
            return None if self.refuse_hidden_characters(event, loc, "a key") else str(event.value)
        if _kind(event) is not yaml.AliasEvent:
            self.issue(event.start_mark, loc, "keys must be plain text")
            self.skip(event, depth + 1)
        return None

    def refuse_hidden_characters(self, event: _Event, loc: Loc, holder: str = "the text") -> bool:
        """Report a scalar that holds a control or bidi character (named, never shown), and say if it did."""
        found = _FORBIDDEN.search(str(event.value))
        if found is None:
            return False
        named = _hidden_character(found.group())
        self.issue(
            event.start_mark,
            loc,
            f"{holder} holds {named}, which can change what a terminal shows: remove it",
        )
        return True

    def skip(self, event: _Event, depth: int) -> None:
        """Read past the node that event begins, still refusing one nested too deep."""
        level = 0
        while True:
            kind = _kind(event)
            if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                if depth + level >= MAX_DEPTH:
                    raise _too_deep(event.start_mark)
                level += 1
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                level -= 1
            if level == 0:
                return
            event = self.next_event()

    def refuse_anchors_and_aliases(self) -> None:
        """One problem for all of a file's anchors and aliases: at the first alias, else the first anchor."""
        if self.aliases:
            first = self.aliases[0]
            anchored = self.anchors.get(first.name)
            target = f"the value anchored (&{first.name}) at {_at(anchored.mark)}" if anchored else "no value"
            more = _more(len(self.aliases) - 1, "alias", "aliases")
            refused = f"aliases and anchors are not allowed: *{first.name} repeats {target}"
            self.issue(first.mark, first.loc, f"{refused}; write each value out{more}")
            self.document.whole = False
        elif self.anchors:
            first = min(self.anchors.values(), key=lambda named: (named.mark.line, named.mark.column))
            more = _more(self.anchor_count - 1, "anchor", "anchors")
            self.issue(first.mark, first.loc, f"anchors are not allowed: remove &{first.name}{more}")


def _hidden_character(character: str) -> str:
    """`control character U+001B`, or the bidi control it is."""
    code = ord(character)
    kind = "bidirectional control" if code > 0x9F else "control character"
    return f"{kind} U+{code:04X}"


def _kind(event: _Event) -> type:
    """What kind of event it is (kinds are told apart by class)."""
    return type(event)


def _at(mark: _YamlMark) -> str:
    """`line:column`, 1-based."""
    shown = _mark(mark)
    return f"{shown.line}:{shown.column}"


def _more(count: int, one: str, many: str) -> str:
    """` (3 more aliases in this file)`, or nothing for none."""
    return f" ({count} more {one if count == 1 else many} in this file)" if count else ""


def _shown_tag(tag: str) -> str:
    """A tag as it was written: `!!str` rather than `tag:yaml.org,2002:str`."""
    return "!!" + tag.removeprefix(_STANDARD_TAG) if tag.startswith(_STANDARD_TAG) else tag


def _scalar(event: _Event) -> object:
    """A plain scalar is null, true, false or text; a quoted one is always text."""
    value = str(event.value)
    if event.style:  # quoted or block: libyaml reports plain scalars as "", PyYAML as None
        return value
    if value in _NULLS:
        return None
    return _BOOLS.get(value, value)
