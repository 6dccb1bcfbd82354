"""Write records as YAML that the strict reader reads back exactly: plain where safe, quoted otherwise.

Only what a decision record holds is supported: mappings with text keys, lists, text,
`True`/`False` and `None`. Every scalar comes back as the same text (or the same bool or
None), because a value is written plain only when the strict reader cannot take it for
anything else; everything else is double-quoted with escapes, or folded when it is prose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

WIDTH: Final = 92
_PLAIN: Final = re.compile(r"^[^\W_](?:[\w .,/()'+&-]*[\w.)'])?$")
_URL: Final = re.compile(r"^https?://[^\s]*[^\s:]$")
_RESERVED: Final = frozenset({"", "~", "null", "Null", "NULL", "true", "false"})
_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
_SIMPLE_CODE: Final = re.compile(r"^[a-z0-9_]+$")

_UNPRINTABLE: Final = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

Value = str | bool | None | Sequence["Value"] | Mapping[str, "Value"]


def _printable(character: str) -> bool:
    """Characters YAML lets a file hold as they are (less line breaks and the BOM)."""
    code = ord(character)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def plain_safe(text: str) -> bool:
    """Whether text can be written without quotes and still read back as the same text."""
    return (
        text not in _RESERVED
        and "  " not in text
        and (_PLAIN.fullmatch(text) is not None or _URL.fullmatch(text) is not None)
        and _UNPRINTABLE.search(text) is None
    )


def quoted(text: str) -> str:
    """Text as a YAML double-quoted scalar, every character that needs it escaped."""
    out = []
    for character in text:
        if character in _ESCAPES:
            out.append(_ESCAPES[character])
        elif _printable(character):
            out.append(character)
        elif ord(character) <= 0xFF:
            out.append(f"\\x{ord(character):02x}")
        elif ord(character) <= 0xFFFF:
            out.append(f"\\u{ord(character):04x}")
        else:
            out.append(f"\\U{ord(character):08x}")
    return '"' + "".join(out) + '"'


def _foldable(text: str) -> bool:
    """Prose that a folded block (`>-`) gives back exactly: single spaces, no line breaks."""
    return (
        len(text) > WIDTH // 2
        and " " in text
        and text == text.strip(" ")
        and "  " not in text
        and _UNPRINTABLE.search(text) is None
    )


def _folded(text: str, indent: int) -> list[str]:
    """Prose folded at single spaces; the reader joins the lines with one space each."""
    pad = " " * indent
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(pad) + len(current) + 1 + len(word) > WIDTH:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(pad + current)
    return lines


def scalar(value: str | bool | None) -> str:
    """One scalar on one line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if plain_safe(value) else quoted(value)


def dump(record: Mapping[str, Value]) -> str:
    """A mapping as a YAML document, keys in the order given, ending with a newline."""
    return "\n".join(_mapping(record, 0)) + "\n"


def _mapping(data: Mapping[str, Value], indent: int) -> list[str]:
    """The lines of a block mapping."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        head = f"{pad}{scalar(key)}:"
        lines.extend(_entry(head, value, indent))
    return lines


def _entry(head: str, value: Value, indent: int) -> list[str]:
    """A key (or list dash) and its value: inline when short, as a block below otherwise."""
    if isinstance(value, Mapping):
        return [head, *_mapping(value, indent + 2)] if value else [head + " {}"]
    if isinstance(value, str) and _foldable(value) and len(head) + 1 + len(value) > WIDTH:
        return [head + " >-", *_folded(value, indent + 2)]
    if isinstance(value, str | bool) or value is None:
        return [f"{head} {scalar(value)}"]
    return _list_entry(head, list(value), indent)


def _list_entry(head: str, items: list[Value], indent: int) -> list[str]:
    """A list: `[]`, a flow list of codes, or a block sequence."""
    if not items:
        return [head + " []"]
    if all(_code(item) for item in items):
        return [f"{head} [{', '.join(str(item) for item in items)}]"]
    return [head, *_sequence(items, indent + 2)]


def _code(item: Value) -> bool:
    """A vocabulary code that a flow list holds plainly: `security`, `legal_basis`."""
    return isinstance(item, str) and _SIMPLE_CODE.fullmatch(item) is not None and item not in _RESERVED


def _sequence(items: Sequence[Value], indent: int) -> list[str]:
    """The lines of a block sequence; a mapping item starts on the dash's line."""
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping) and item:
            inner = _mapping(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines.extend(inner[1:])
        else:
            lines.extend(_entry(f"{pad}-", item, indent))
    return lines
