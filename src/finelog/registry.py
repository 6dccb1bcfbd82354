"""Reference data: the authorities, the laws and the countries finelog knows, with their aliases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Generic, Protocol, TypeVar


def normalise(text: str) -> str:
    """Fold case, accents and runs of white space, for matching names as people type them."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _squashed(text: str) -> str:
    """Only the letters and digits: `fr_cnil`, `FR CNIL` and `fr-cnil` all read `frcnil`."""
    return re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class Regulator:
    """A data-protection authority."""

    code: str
    name: str
    native_name: str
    country: str
    website: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Law:
    """A law that article references may cite."""

    code: str
    name: str
    country: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Country:
    """A country (or territory) whose authorities finelog knows."""

    code: str
    name: str
    aliases: tuple[str, ...]


class _Named(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


T = TypeVar("T", bound=_Named)


class UnknownName(LookupError):
    """A name that no entry of a registry answers to, or that several do."""

    def __init__(self, kind: str, name: str, candidates: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.name = name
        self.candidates = candidates
        if candidates:
            message = f"{kind} {name!r} is ambiguous: {', '.join(candidates)}"
        else:
            message = f"unknown {kind} {name!r}"
        super().__init__(message)


class Registry(Generic[T]):
    """Entries by code, found by code or any alias, case- and accent-insensitively."""

    def __init__(self, kind: str, entries: list[T], extra_names: dict[str, list[str]]) -> None:
        self.kind = kind
        self.entries = entries
        self.by_code = {entry.code: entry for entry in entries}
        self._index: dict[str, set[str]] = {}
        for entry in entries:
            for name in (entry.code, *entry.aliases, *extra_names.get(entry.code, [])):
                self._index.setdefault(normalise(name), set()).add(entry.code)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def resolve(self, name: str) -> T:
        """The one entry a code or alias names; UnknownName if none or several."""
        codes = self._index.get(normalise(name), set())
        if len(codes) == 1:
            return self.by_code[next(iter(codes))]
        raise UnknownName(self.kind, name, tuple(sorted(codes)))

    def close(self, name: str, limit: int = 3) -> list[str]:
        """The codes a name may mean: its letters spaced otherwise, a word of a name, or a near spelling."""
        import difflib

        wanted = normalise(name)
        squashed = _squashed(wanted)
        if not squashed:
            return []
        names = list(self._index)
        alike = [known for known in names if _squashed(known) == squashed]
        worded = [known for known in names if re.search(rf"\b{re.escape(wanted)}\b", known)]
        if len({code for known in worded for code in self._index[known]}) > limit:
            worded = []  # a word most names share (`data`) says nothing
        spelled = difflib.get_close_matches(wanted, names, n=limit, cutoff=0.75)
        codes = (code for known in (*alike, *worded, *spelled) for code in sorted(self._index[known]))
        return list(dict.fromkeys(codes))[:limit]

    def find(self, name: str) -> T | None:
        """The entry a name resolves to, or None."""
        try:
            return self.resolve(name)
        except UnknownName:
            return None


def _read_reference(filename: str) -> list[dict[str, object]]:
    """Read one of the packaged reference YAML files."""
    from importlib import resources  # not at import: only a run that resolves names reads the registry

    from finelog import strictyaml

    text = resources.files("finelog").joinpath("reference", filename).read_text("utf-8")
    data = strictyaml.read(text).data
    assert isinstance(data, list), filename
    return data


def _strings(value: object) -> tuple[str, ...]:
    """A YAML list of strings as a tuple."""
    assert isinstance(value, list)
    return tuple(str(item) for item in value)


@cache
def countries() -> Registry[Country]:
    """The country registry."""
    entries = [
        Country(code=str(row["code"]), name=str(row["name"]), aliases=_strings(row["aliases"]))
        for row in _read_reference("countries.yaml")
    ]
    return Registry("country", entries, {c.code: [c.name] for c in entries})


@cache
def regulators() -> Registry[Regulator]:
    """The registry of authorities."""
    entries = [
        Regulator(
            code=str(row["code"]),
            name=str(row["name"]),
            native_name=str(row.get("native_name") or row["name"]),
            country=str(row["country"]),
            website=str(row.get("website") or ""),
            aliases=_strings(row.get("aliases") or []),
        )
        for row in _read_reference("regulators.yaml")
    ]
    extra = {r.code: [r.name, r.native_name] for r in entries}
    return Registry("regulator", entries, extra)


@cache
def laws() -> Registry[Law]:
    """The registry of laws that articles cite."""
    entries = [
        Law(
            code=str(row["code"]),
            name=str(row["name"]),
            country=str(row["country"]),
            aliases=_strings(row.get("aliases") or []),
        )
        for row in _read_reference("laws.yaml")
    ]
    return Registry("law", entries, {law.code: [law.name] for law in entries})
