"""Article references: parse the spellings trackers use, write one canonical form, match prefixes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from finelog.registry import UnknownName, laws

_MARKER: Final = re.compile(r"(?i)(?<![\w])(?:articles?|artt?s?\.?|§+)\s*")
_LATIN: Final = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)"
_NUMBER: Final = re.compile(rf"(?i)\s*((?:[LRD]\.?\s*)?\d+[a-z]?(?:-\d+)*(?:[-\s]{_LATIN})?)(?!\w)")
_PARAGRAPH: Final = re.compile(
    rf"(?i)\s*(?:\((\d+[a-z]?(?:-{_LATIN})?)\)|(?:par(?:a(?:graph)?)?\.?|abs\.?|§)\s*(\d+)\b)"
)
_DOTTED: Final = re.compile(r"\.(\d+)")  # `28.3`: paragraph 3 of article 28, or article 28.3?
_POINT: Final = re.compile(r"(?i)\s*,?\s*(?:\(([a-z]{1,2}|\d+)\)|([a-z]{1,2})\)|lit\.?\s*([a-z]))")
_MORE_ARTICLES: Final = re.compile(r"(?i)^\s*(?:,|and|&|und|et|e|y)\s*(?=\d)")
_TRIM: Final = " \t,;.:()-/"
_FILLER: Final = re.compile(r"(?i)^(?:of\s+the|of|the|der|du|de\s+la|del|della)\s+")
_CONNECTOR: Final = re.compile(r"(?i)\s+(?:and|und|et|e|y|in\s+conjunction\s+with|i\.\s*v\.\s*m\.)$")


class ArticleError(ValueError):
    """Text that is not a reference finelog can read."""


ARTICLE_COUNTS: Final = {"GDPR": 99, "UK-GDPR": 99}  # the laws whose articles are numbered 1 to N


def _check_numbering(article: str, law: str) -> None:
    """Refuse an article the law does not have: the GDPR's run from 1 to 99."""
    last = ARTICLE_COUNTS.get(law)
    if last is not None and not (article.isdigit() and 1 <= int(article) <= last):
        raise ArticleError(f"the {law} has articles 1 to {last}, not {article!r}")


@dataclass(frozen=True, order=True)
class ArticleRef:
    """One article reference: law, article, and optionally paragraph and point."""

    law: str
    article: str
    paragraph: str | None = None
    point: str | None = None

    def __str__(self) -> str:
        return f"{self.provision} {self.law}"

    @property
    def provision(self) -> str:
        """The reference without its law: `Art. 5(1)(f)`."""
        text = f"Art. {self.article}"
        if self.paragraph:
            text += f"({self.paragraph})"
        if self.point:
            text += f"({self.point})"
        return text

    @property
    def article_key(self) -> str:
        """The article with its law, for grouping: `Art. 5 GDPR`."""
        return f"Art. {self.article} {self.law}"


@dataclass(frozen=True)
class ArticlePattern:
    """A prefix to match references against: `5` matches 5, 5(1) and 5(1)(f)."""

    article: str
    paragraph: str | None = None
    point: str | None = None
    law: str | None = None

    def matches(self, ref: ArticleRef) -> bool:
        """Whether ref falls under this pattern."""
        return (
            (self.law is None or self.law == ref.law)
            and self.article == ref.article
            and (self.paragraph is None or self.paragraph == ref.paragraph)
            and (self.point is None or self.point == ref.point)
        )


@dataclass
class _Pending:
    article: str
    paragraph: str | None
    points: list[str]


def resolve_law(text: str) -> str:
    """The law code a name stands for (`GDPR`, `UK GDPR`, `loi Informatique et Libertés`)."""
    cleaned = _FILLER.sub("", text.strip(_TRIM)).strip(_TRIM)
    cleaned = _CONNECTOR.sub("", cleaned).strip(_TRIM)
    try:
        return laws().resolve(cleaned).code
    except UnknownName as error:
        raise ArticleError(f"unknown law {cleaned!r}") from error


def parse_references(text: str, default_law: str | None = None) -> list[ArticleRef]:
    """All references in free text such as `Art. 5 (1) a), c) GDPR, Art. 6 (1) GDPR`."""
    pieces = _MARKER.split(text)
    if len(pieces) == 1:
        raise ArticleError(f"no article reference in {text.strip()!r}")
    law = resolve_law(pieces[0]) if pieces[0].strip(_TRIM) else default_law
    refs: list[ArticleRef] = []
    waiting: list[_Pending] = []
    for piece in pieces[1:]:
        found, rest = _parse_piece(piece)
        waiting.extend(found)
        if rest.strip(_TRIM):
            law = resolve_law(rest)
            refs.extend(_settle(waiting, law))
            waiting = []
    if waiting:
        if law is None:
            raise ArticleError(f"no law named in {text.strip()!r} (add GDPR, UK-GDPR, ...)")
        refs.extend(_settle(waiting, law))
    if not refs:
        raise ArticleError(f"no article reference in {text.strip()!r}")
    return refs


@cache
def parse_reference(text: str, default_law: str | None = None) -> ArticleRef:
    """Exactly one reference, as a record's `articles` items must be (parsed once per text)."""
    refs = parse_references(text, default_law)
    if len(refs) != 1:
        shown = ", ".join(str(ref) for ref in refs)
        raise ArticleError(f"one reference per item, found {len(refs)}: {shown}")
    return refs[0]


def parse_pattern(text: str) -> ArticlePattern:
    """A filter such as `5`, `5(1)`, `Art. 28(3)(g)` or `82 FR-LIL`."""
    source = text.strip()
    if source[:1].isdigit():
        source = "Art. " + source
    pieces = _MARKER.split(source)
    if len(pieces) != 2 or pieces[0].strip(_TRIM):
        raise ArticleError(f"not an article reference: {text!r} (try 5, 5(1) or 28(3) GDPR)")
    found, rest = _parse_piece(pieces[1])
    if len(found) != 1 or len(found[0].points) > 1:
        raise ArticleError(f"give one article, not several: {text!r}")
    pending = found[0]
    law = resolve_law(rest) if rest.strip(_TRIM) else None
    point = pending.points[0] if pending.points else None
    return ArticlePattern(pending.article, pending.paragraph, point, law)


def _parse_piece(piece: str) -> tuple[list[_Pending], str]:
    """The references at the start of one piece of text, and what follows them."""
    found: list[_Pending] = []
    rest = piece
    while True:
        number = _NUMBER.match(rest)
        if number is None:
            if not found:
                raise ArticleError(f"no article number in {piece.strip()!r}")
            return found, rest
        article = _canonical_number(number.group(1))
        rest = rest[number.end() :]
        _refuse_dotted(article, rest)
        paragraph, rest = _take_paragraph(rest)
        points, rest = _take_points(rest)
        found.append(_Pending(article, paragraph, points))
        more = _MORE_ARTICLES.match(rest)
        if more is None:
            return found, rest
        rest = rest[more.end() :]


def _refuse_dotted(article: str, rest: str) -> None:
    """Refuse `28.3`: paragraph 3 of article 28 in some citations, an article of its own in some laws."""
    dotted = _DOTTED.match(rest)
    if dotted is not None:
        paragraph = dotted.group(1)
        raise ArticleError(
            f"write Art. {article}({paragraph}) for paragraph {paragraph} of article {article}: "
            f"{article}.{paragraph} is not read, as some laws number their articles that way"
        )


def _canonical_number(text: str) -> str:
    """`L. 34-5` as `L34-5`, `2 quinquies` as `2-quinquies`, `13A` as `13a`."""
    prefix = text[0].upper() if text[0].isalpha() else ""
    rest = text[1:].lstrip(". ") if prefix else text
    return prefix + re.sub(r"[\s-]+", "-", rest.lower())


def _take_paragraph(rest: str) -> tuple[str | None, str]:
    """A paragraph such as `(1)`, `para. 1` or `Abs. 1`, if one comes next."""
    match = _PARAGRAPH.match(rest)
    if match is None:
        return None, rest
    return (match.group(1) or match.group(2)).lower(), rest[match.end() :]


def _take_points(rest: str) -> tuple[list[str], str]:
    """Points such as `(f)`, `a), c)` or `lit. a`, as many as come next."""
    points: list[str] = []
    while (match := _POINT.match(rest)) is not None:
        points.append(next(group for group in match.groups() if group).lower())
        rest = rest[match.end() :]
    return points, rest


def _settle(waiting: list[_Pending], law: str) -> list[ArticleRef]:
    """Turn parsed numbers into references of one law, one per point."""
    refs: list[ArticleRef] = []
    for item in waiting:
        _check_numbering(item.article, law)
        points: list[str | None] = list(item.points) or [None]
        for point in points:
            refs.append(ArticleRef(law, item.article, item.paragraph, point))
    return refs
