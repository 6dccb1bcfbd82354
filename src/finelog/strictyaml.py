"""Strict YAML reading that keeps the line and column of every key and value."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Final, Protocol, TypeVar

import yaml
import yaml.reader
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

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
# Composers recurse once per level (libyaml's on the C stack, which overflows near 20,000),
# so text that might nest deeper than this is first read as events, which do not.
_COMPOSED_SAFELY_TO: Final = 1000 if HAS_LIBYAML else 200
_PLAIN_TAGS: Final = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_DEFAULT_TAGS: Final[dict[type[Node], str]] = {
    ScalarNode: "tag:yaml.org,2002:str",
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}
_NULLS: Final = {"", "~", "null", "Null", "NULL"}
_BOOLS: Final = {"true": True, "false": False}


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
    value_marks: dict[Loc, yaml.Mark] = field(default_factory=dict)  # PyYAML's, converted when asked
    key_marks: dict[Loc, yaml.Mark] = field(default_factory=dict)
    issues: list[YamlIssue] = field(default_factory=list)

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

    class _Loader(_Parser, BaseResolver):
        """libyaml's parser and composer with no implicit typing at all."""

        def __init__(self, text: str) -> None:
            _Parser.__init__(self, text)
            BaseResolver.__init__(self)

        def resolve(self, kind: type[Node], value: object, implicit: object) -> str:
            """Every untagged node is text, a list or a mapping: no implicit typing to undo."""
            return _DEFAULT_TAGS[kind]

else:  # pragma: no cover - exercised only without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, BaseResolver):  # type: ignore[no-redef]
        """The pure-Python parser and composer with no implicit typing at all."""

        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            BaseResolver.__init__(self)


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


def compose(text: str) -> Node | None:
    """Parse one YAML document into its node tree."""
    warn_if_slow()
    if _nesting_bound(text) > _COMPOSED_SAFELY_TO:
        _parsed(text, _refuse_deep_nesting)
    return _parsed(text, lambda loader: loader.get_single_node())


def _nesting_bound(text: str) -> int:
    """A bound on how deep text's YAML nests: each collection begins at its own `[`, `{`, `-`, `:` or `?`."""
    return sum(text.count(indicator) for indicator in "[{-:?")


def _parsed(text: str, use: Callable[[_Loader], T]) -> T:
    """What `use` makes of a parser of text, any YAML error raised as YamlSyntaxError."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        raise YamlSyntaxError(_position(text, error.position), _reader_problem(error)) from None
    try:
        return use(loader)
    except yaml.MarkedYAMLError as error:
        raise YamlSyntaxError(_mark(error.problem_mark), _describe(error)) from None
    except yaml.reader.ReaderError as error:
        raise YamlSyntaxError(_position(text, error.position), _reader_problem(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(Mark(1, 1), str(error).splitlines()[0]) from None
    finally:
        loader.dispose()


def _refuse_deep_nesting(loader: _Loader) -> None:
    """Raise at the first collection nested too deep, reading events: unlike nodes, they need no stack."""
    depth = 0
    while not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            if depth >= MAX_DEPTH:
                raise _too_deep(event.start_mark)
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _too_deep(mark: _YamlMark | None) -> YamlSyntaxError:
    """The error for a collection inside MAX_DEPTH others."""
    return YamlSyntaxError(_mark(mark), f"nested more than {MAX_DEPTH} levels deep")


def read(text: str) -> Document:
    """Read YAML text strictly into plain data (dicts, lists, str, bool, None)."""
    node = compose(text)
    document = Document(data=None)
    if node is None:
        return document
    document.data = _Builder(document).build(node, (), 0)
    return document


class _YamlMark(Protocol):
    """A PyYAML mark, from its Python parser or from libyaml: 0-based."""

    line: int
    column: int


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


class _Builder:
    """Turns a node tree into plain data, recording marks and problems."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.seen: set[int] = set()

    def issue(self, node: Node, loc: Loc, message: str) -> None:
        """Record a problem at a node."""
        self.document.issues.append(YamlIssue(_mark(node.start_mark), loc, message))

    def build(self, node: Node, loc: Loc, depth: int) -> object:
        """Build the value of one node."""
        self.document.value_marks[loc] = node.start_mark
        if id(node) in self.seen:
            self.issue(node, loc, "anchors and aliases are not allowed")
            return None
        self.seen.add(id(node))
        if depth >= MAX_DEPTH and not isinstance(node, ScalarNode):
            raise _too_deep(node.start_mark)
        if node.tag not in _PLAIN_TAGS:
            self.issue(node, loc, f"YAML tags such as {node.tag!r} are not allowed")
            return None
        if isinstance(node, MappingNode):
            return self.build_mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return _scalar(node)

    def build_mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, object]:
        """Build a mapping, reporting non-text and duplicate keys."""
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.issue(key_node, loc, "keys must be plain text")
                continue
            key = str(key_node.value)
            self.document.key_marks[(*loc, key)] = key_node.start_mark
            if key in result:
                self.issue(key_node, (*loc, key), f"duplicate key {key!r}")
                continue
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result


def _scalar(node: ScalarNode) -> object:
    """A plain scalar is null, true, false or text; a quoted one is always text."""
    value = str(node.value)
    if node.style:  # quoted or block: libyaml reports plain scalars as "", PyYAML as None
        return value
    if value in _NULLS:
        return None
    return _BOOLS.get(value, value)
